using System.Security.Cryptography;
using System.Text;

namespace eSafe.Incidents;

/// <summary>Seals incidents to the server's public key, and opens them with its private key.</summary>
public static class IncidentSealer
{
    public const int CurrentVersion = 1;
    internal const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Suite = "esafe-incident-v1";

    public static SealedIncident Seal(ReadOnlySpan<byte> plaintext, string incidentId, ServerSealingKey serverKey)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return SealWith(plaintext, incidentId, serverKey, ephemeral, RandomNumberGenerator.GetBytes(NonceSize));
    }

    /// <summary>
    /// Seals with the ephemeral key and nonce given. Only the published test vectors (docs/ENVELOPE-VECTORS.md)
    /// fix them, so that every implementation can be checked byte for byte; a real seal takes fresh ones.
    /// </summary>
    public static SealedIncident SealWith(ReadOnlySpan<byte> plaintext, string incidentId, ServerSealingKey serverKey,
        ECDiffieHellman ephemeral, byte[] nonce)
    {
        ArgumentNullException.ThrowIfNull(serverKey);
        ArgumentNullException.ThrowIfNull(ephemeral);
        ArgumentNullException.ThrowIfNull(nonce);
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"The nonce must be {NonceSize} bytes.", nameof(nonce));
        }

        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        var key = DeriveSealingKey(ephemeral, ephemeralPublic, serverKey);

        try
        {
            return SealWithKey(plaintext, incidentId, serverKey.KeyId, ephemeralPublic, key, nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Derives the AES key a device seals under from its ephemeral key pair (the same key <see cref="DeriveOpeningKey"/> gives the server).</summary>
    internal static byte[] DeriveSealingKey(ECDiffieHellman ephemeral, byte[] ephemeralPublic, ServerSealingKey serverKey)
    {
        using var server = ECDiffieHellman.Create();
        server.ImportSubjectPublicKeyInfo(serverKey.PublicKey, out _);
        return DeriveKey(ephemeral.DeriveRawSecretAgreement(server.PublicKey), ephemeralPublic, serverKey.KeyId);
    }

    /// <summary>The envelope of <paramref name="plaintext"/> under an AES key already derived for <paramref name="ephemeralPublic"/>.</summary>
    internal static SealedIncident SealWithKey(ReadOnlySpan<byte> plaintext, string incidentId, string keyId, byte[] ephemeralPublic,
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        var sealedBytes = new byte[plaintext.Length + TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length),
                sealedBytes.AsSpan(plaintext.Length), AssociatedData(incidentId, keyId));
        }

        return new SealedIncident(CurrentVersion, incidentId, keyId, ephemeralPublic, nonce.ToArray(), sealedBytes);
    }

    /// <summary>Opens an envelope; throws <see cref="CryptographicException"/> when it was not sealed to this key or was changed.</summary>
    public static byte[] Open(SealedIncident envelope, ECDiffieHellman serverPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var plaintext = new byte[PlaintextLength(envelope)];
        OpenInto(envelope, serverPrivateKey, plaintext);
        return plaintext;
    }

    /// <summary>How many bytes <paramref name="envelope"/> opens to (0 for one too short to hold its tag).</summary>
    public static int PlaintextLength(SealedIncident envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Math.Max(0, (envelope.Ciphertext?.Length ?? 0) - TagSize);
    }

    /// <summary>
    /// Opens an envelope into <paramref name="plaintext"/> (at least <see cref="PlaintextLength"/> bytes, e.g. a pooled buffer);
    /// returns how many bytes it wrote. Throws <see cref="CryptographicException"/> when it was not sealed to this key or was changed.
    /// </summary>
    public static int OpenInto(SealedIncident envelope, ECDiffieHellman serverPrivateKey, Span<byte> plaintext)
    {
        var key = DeriveOpeningKey(envelope, serverPrivateKey);
        try
        {
            return OpenWithKey(envelope, key, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// The AES key an envelope was sealed under: ECDH of the server's private key with the envelope's ephemeral public key,
    /// then HKDF (salt: that key's bytes, info: suite and key ID). Envelopes that share an ephemeral key and key ID share it,
    /// so a server may keep it for a while (direct mode's sealing sessions). Throws <see cref="CryptographicException"/> for
    /// a malformed envelope or an ephemeral key that is not P-256. The caller wipes the key.
    /// </summary>
    public static byte[] DeriveOpeningKey(SealedIncident envelope, ECDiffieHellman serverPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(serverPrivateKey);
        if (envelope.Version != CurrentVersion)
        {
            throw new CryptographicException($"Envelope version {envelope.Version} is not supported.");
        }

        if (Malformed(envelope) is { } problem)
        {
            throw new CryptographicException($"The envelope is malformed: {problem}.");
        }

        using var ephemeral = ECDiffieHellman.Create();
        try
        {
            ephemeral.ImportSubjectPublicKeyInfo(envelope.EphemeralPublicKey, out _);
        }
        // An unknown curve's OID surfaces as PlatformNotSupportedException (found by the envelope fuzzer).
        catch (Exception e) when (e is CryptographicException or ArgumentException or PlatformNotSupportedException)
        {
            throw new CryptographicException("The envelope's ephemeral key is not a valid P-256 public key.", e);
        }

        if (ephemeral.KeySize != 256)
        {
            throw new CryptographicException("The envelope's ephemeral key is not a P-256 key.");
        }

        return DeriveKey(serverPrivateKey.DeriveRawSecretAgreement(ephemeral.PublicKey), envelope.EphemeralPublicKey, envelope.KeyId);
    }

    /// <summary>
    /// Opens an envelope with the key <see cref="DeriveOpeningKey"/> gave for it into <paramref name="plaintext"/>; returns how
    /// many bytes it wrote. Throws <see cref="CryptographicException"/> when the key is not the envelope's or it was changed.
    /// </summary>
    public static int OpenWithKey(SealedIncident envelope, ReadOnlySpan<byte> key, Span<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (Malformed(envelope) is { } problem)
        {
            throw new CryptographicException($"The envelope is malformed: {problem}.");
        }

        var length = envelope.Ciphertext.Length - TagSize;
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(envelope.Nonce, envelope.Ciphertext.AsSpan(0, length), envelope.Ciphertext.AsSpan(length),
                plaintext[..length], AssociatedData(envelope.IncidentId, envelope.KeyId));
        }

        return length;
    }

    /// <summary>What is wrong with an envelope's shape (before any key is tried), or null.</summary>
    public static string? Malformed(SealedIncident envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.Version != CurrentVersion ? $"version {envelope.Version} is not {CurrentVersion}"
            : !IncidentId.IsValid(envelope.IncidentId) ? "incidentId is not an incident ID"
            : string.IsNullOrWhiteSpace(envelope.KeyId) || envelope.KeyId.Length > 64 ? "keyId is missing or too long"
            : envelope.EphemeralPublicKey is not { Length: > 0 and <= 1024 } ? "ephemeralPublicKey is missing or too long"
            : envelope.Nonce is not { Length: NonceSize } ? $"nonce is not {NonceSize} bytes"
            : envelope.Ciphertext is not { Length: >= TagSize } ? "ciphertext is shorter than its tag"
            : null;
    }

    private static byte[] DeriveKey(byte[] sharedSecret, byte[] ephemeralPublic, string keyId)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, ephemeralPublic, Encoding.UTF8.GetBytes(Suite + "\n" + keyId));
        CryptographicOperations.ZeroMemory(sharedSecret);
        return key;
    }

    private static byte[] AssociatedData(string incidentId, string keyId) =>
        Encoding.UTF8.GetBytes(Suite + "\n" + incidentId + "\n" + keyId);
}
