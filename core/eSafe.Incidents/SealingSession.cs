using System.Security.Cryptography;

namespace eSafe.Incidents;

/// <summary>
/// Seals many envelopes under one ephemeral key pair, as a Chromebook's extension does in direct mode
/// (extension/background/envelope.js, <c>createSealingSession</c>): the ECDH and HKDF are done once, each envelope then
/// costs only AES-GCM under a fresh random nonce. The wire format is the one-use envelope's (docs/PROTOCOL.md §2b,
/// "Sealing sessions"), so the server opens either. A session ends after <see cref="MaxEnvelopes"/> envelopes or
/// <see cref="MaxAge"/>, whichever comes first, and the next seal starts a new key pair; nothing of it is persisted.
/// The host does not use this: it seals few envelopes, each with a one-use key (docs/SECURITY.md).
/// </summary>
public sealed class SealingSession(ServerSealingKey serverKey, TimeProvider clock) : IDisposable
{
    /// <summary>Envelopes a key pair seals before the next: far under GCM's limit for random nonces (2^32 a key).</summary>
    public const int MaxEnvelopes = 4096;

    /// <summary>How long a key pair is used at most: how far back a leak of the device's memory reaches.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private byte[]? _key;
    private byte[] _ephemeralPublic = [];
    private DateTimeOffset _started;
    private int _sealed;

    public ServerSealingKey ServerKey { get; } = serverKey ?? throw new ArgumentNullException(nameof(serverKey));

    /// <summary>Seals <paramref name="plaintext"/> bound to <paramref name="incidentId"/>, under this session's key pair (a new one when it is used up).</summary>
    public SealedIncident Seal(ReadOnlySpan<byte> plaintext, string incidentId)
    {
        Span<byte> key = stackalloc byte[32];
        byte[] ephemeralPublic;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_key is null || _sealed >= MaxEnvelopes || now - _started >= MaxAge || now < _started)
            {
                Renew(now);
            }

            _sealed++;
            _key!.CopyTo(key);
            ephemeralPublic = _ephemeralPublic;
        }

        try
        {
            return IncidentSealer.SealWithKey(plaintext, incidentId, ServerKey.KeyId, ephemeralPublic, key,
                RandomNumberGenerator.GetBytes(IncidentSealer.NonceSize));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Forget();
        }
    }

    private void Renew(DateTimeOffset now)
    {
        Forget();
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        _key = IncidentSealer.DeriveSealingKey(ephemeral, _ephemeralPublic, ServerKey);
        _started = now;
        _sealed = 0;
    }

    private void Forget()
    {
        if (_key is not null)
        {
            CryptographicOperations.ZeroMemory(_key);
            _key = null;
        }
    }
}
