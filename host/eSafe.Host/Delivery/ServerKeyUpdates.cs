using System.Security.Cryptography;
using eSafe.Host.Configuration;
using eSafe.Incidents;

namespace eSafe.Host.Delivery;

/// <summary>
/// The server's sealing key that new incidents are sealed to. It starts as the enrolment's and follows the
/// <c>serverKey</c> of the library-versions answer, which comes over the same checked connection as enrolment (https
/// with the school's pins, or loopback http) and only to this device's token: trusted as the enrolment's key is. A new
/// key is taken only when it is a P-256 public key under a new key ID, and is saved in the enrolment file so the next
/// start uses it. Incidents already in the outbox stay sealed to the old key: the server keeps old keys readable.
/// Likewise the envelope version: 2 (binary, docs/PROTOCOL.md §2) once the answer names it among the versions the server
/// opens, 1 while it does not (a server older than version 2) or after the server refused a version 2 body.
/// </summary>
public sealed class ServerKeyUpdates(HostPaths paths, EnrolmentState enrolment, HostLog log)
{
    public const int MaxKeyIdLength = 32;
    private readonly Lock _lock = new();
    private EnrolmentState _state = enrolment;

    /// <summary>The key to seal new incidents to.</summary>
    public ServerSealingKey Current
    {
        get
        {
            lock (_lock)
            {
                return new ServerSealingKey(_state.ServerKeyId, _state.ServerPublicKey);
            }
        }
    }

    /// <summary>The envelope version to seal new incidents as.</summary>
    public int EnvelopeVersion
    {
        get
        {
            lock (_lock)
            {
                return _state.EnvelopeVersion == IncidentSealer.BinaryVersion ? IncidentSealer.BinaryVersion : IncidentSealer.CurrentVersion;
            }
        }
    }

    /// <summary>Takes the envelope versions the server names now (null: a server older than version 2).</summary>
    public void OfferEnvelopeVersions(IReadOnlyList<int>? versions) =>
        SetEnvelopeVersion(versions?.Contains(IncidentSealer.BinaryVersion) == true ? IncidentSealer.BinaryVersion : IncidentSealer.CurrentVersion,
            "the server's libraries answer");

    /// <summary>The server refused a version 2 body as a server without version 2 does: seal version 1 from now on.</summary>
    public void ServerRefusedBinary() => SetEnvelopeVersion(IncidentSealer.CurrentVersion, "the server refused a version 2 incident");

    private void SetEnvelopeVersion(int version, string why)
    {
        lock (_lock)
        {
            if (_state.EnvelopeVersion == version)
            {
                return;
            }

            Take(_state with { EnvelopeVersion = version }, "the envelope version");
            log.Info($"new incidents are sealed as envelope version {version} ({why})");
        }
    }

    /// <summary>Takes the key the server names now; true when it replaced the one in use.</summary>
    public bool Offer(ServerSealingKey? offered)
    {
        if (offered is null)
        {
            return false;
        }

        lock (_lock)
        {
            if (offered.KeyId == _state.ServerKeyId)
            {
                if (!CryptographicOperations.FixedTimeEquals(offered.PublicKey ?? [], _state.ServerPublicKey))
                {
                    log.Error($"the server named its key {offered.KeyId} with different bytes from the key {offered.KeyId} this device holds; keeping the one held");
                }

                return false;
            }

            if (Problem(offered) is { } problem)
            {
                log.Error($"the server's new sealing key was not taken ({problem}); still sealing to {_state.ServerKeyId}");
                return false;
            }

            var previous = _state.ServerKeyId;
            Take(_state with { ServerKeyId = offered.KeyId, ServerPublicKey = offered.PublicKey }, $"the server's new sealing key {offered.KeyId}");
            log.Info($"the server's sealing key is now {offered.KeyId} (was {previous}); new incidents are sealed to it");
            return true;
        }
    }

    // Saved, and used from now on even when saving fails: this run goes on with it, and the next start asks the server again.
    private void Take(EnrolmentState next, string what)
    {
        try
        {
            StateFiles.Write(paths.EnrolmentFile, next, HostJson.Default.EnrolmentState);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"{what} could not be saved: {e.Message}");
        }

        _state = next;
    }

    /// <summary>Why a key cannot be sealed to, or null when it can.</summary>
    public static string? Problem(ServerSealingKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(key.KeyId) || key.KeyId.Length > MaxKeyIdLength || !key.KeyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return $"its key ID is not 1 to {MaxKeyIdLength} letters, digits, '-' or '_'";
        }

        if (key.PublicKey is not { Length: > 0 and <= 512 })
        {
            return "it has no public key";
        }

        try
        {
            using var ecdh = ECDiffieHellman.Create();
            ecdh.ImportSubjectPublicKeyInfo(key.PublicKey, out var read);
            return read != key.PublicKey.Length || ecdh.KeySize != 256 ? "it is not a P-256 public key" : null;
        }
        catch (CryptographicException)
        {
            return "it is not a P-256 public key";
        }
    }
}
