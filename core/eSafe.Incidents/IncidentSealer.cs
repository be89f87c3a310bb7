using System.Security.Cryptography;
using System.Text;

namespace eSafe.Incidents;

/// <summary>Seals incidents to the server's public key, and opens them with its private key.</summary>
public static class IncidentSealer
{
    /// <summary>Version 1: the envelope is JSON, its plaintext the incident's JSON (screenshot in base64).</summary>
    public const int CurrentVersion = 1;

    /// <summary>Version 2: the same crypto under its own suite label; a binary envelope over a binary plaintext (<see cref="BinaryEnvelope"/>, <see cref="IncidentPlaintext"/>).</summary>
    public const int BinaryVersion = 2;
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    public static SealedIncident Seal(ReadOnlySpan<byte> plaintext, string incidentId, ServerSealingKey serverKey, int version = CurrentVersion)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return SealWith(plaintext, incidentId, serverKey, ephemeral, RandomNumberGenerator.GetBytes(NonceSize), version);
    }

    /// <summary>True for the versions this code seals and opens.</summary>
    public static bool Supports(int version) => version is CurrentVersion or BinaryVersion;

    // Each version its own label in the HKDF info and the associated data: an envelope of one can never open as the other.
    private static string Suite(int version) => version switch
    {
        CurrentVersion => "esafe-incident-v1",
        BinaryVersion => "esafe-incident-v2",
        _ => throw new CryptographicException($"Envelope version {version} is not supported."),
    };

    /// <summary>
    /// Seals with the ephemeral key and nonce given. Only the published test vectors (docs/ENVELOPE-VECTORS.md)
    /// fix them, so that every implementation can be checked byte for byte; a real seal takes fresh ones.
    /// </summary>
    public static SealedIncident SealWith(ReadOnlySpan<byte> plaintext, string incidentId, ServerSealingKey serverKey,
        ECDiffieHellman ephemeral, byte[] nonce, int version = CurrentVersion)
    {
        ArgumentNullException.ThrowIfNull(serverKey);
        ArgumentNullException.ThrowIfNull(ephemeral);
        ArgumentNullException.ThrowIfNull(nonce);
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"The nonce must be {NonceSize} bytes.", nameof(nonce));
        }

        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        var key = DeriveSealingKey(ephemeral, ephemeralPublic, serverKey, version);

        try
        {
            return SealWithKey(plaintext, incidentId, serverKey.KeyId, ephemeralPublic, key, nonce, version);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Derives the AES key a device seals under from its ephemeral key pair (the same key <see cref="DeriveOpeningKey(SealedIncident, ECDiffieHellman)"/> gives the server).</summary>
    internal static byte[] DeriveSealingKey(ECDiffieHellman ephemeral, byte[] ephemeralPublic, ServerSealingKey serverKey,
        int version = CurrentVersion)
    {
        using var server = ECDiffieHellman.Create();
        server.ImportSubjectPublicKeyInfo(serverKey.PublicKey, out _);
        return DeriveKey(ephemeral.DeriveRawSecretAgreement(server.PublicKey), ephemeralPublic, serverKey.KeyId, version);
    }

    /// <summary>The envelope of <paramref name="plaintext"/> under an AES key already derived for <paramref name="ephemeralPublic"/>.</summary>
    internal static SealedIncident SealWithKey(ReadOnlySpan<byte> plaintext, string incidentId, string keyId, byte[] ephemeralPublic,
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int version = CurrentVersion)
    {
        var sealedBytes = new byte[plaintext.Length + TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length),
                sealedBytes.AsSpan(plaintext.Length), AssociatedData(version, incidentId, keyId));
        }

        return new SealedIncident(version, incidentId, keyId, ephemeralPublic, nonce.ToArray(), sealedBytes);
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
        if (Malformed(envelope) is { } problem)
        {
            throw new CryptographicException($"The envelope is malformed: {problem}.");
        }

        return DeriveOpeningKey(envelope.Version, envelope.KeyId, envelope.EphemeralPublicKey, serverPrivateKey);
    }

    /// <summary>
    /// <see cref="DeriveOpeningKey(SealedIncident, ECDiffieHellman)"/> from an envelope's parts (a binary envelope read in place).
    /// Throws <see cref="CryptographicException"/> for an unknown version or an ephemeral key that is not P-256.
    /// </summary>
    public static byte[] DeriveOpeningKey(int version, string keyId, ReadOnlySpan<byte> ephemeralPublicKey, ECDiffieHellman serverPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(serverPrivateKey);
        if (!Supports(version))
        {
            throw new CryptographicException($"Envelope version {version} is not supported.");
        }

        using var ephemeral = ECDiffieHellman.Create();
        try
        {
            ephemeral.ImportSubjectPublicKeyInfo(ephemeralPublicKey, out _);
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

        return DeriveKey(serverPrivateKey.DeriveRawSecretAgreement(ephemeral.PublicKey), ephemeralPublicKey, keyId, version);
    }

    /// <summary>
    /// Opens an envelope with the key <see cref="DeriveOpeningKey(SealedIncident, ECDiffieHellman)"/> gave for it into <paramref name="plaintext"/>; returns how
    /// many bytes it wrote. Throws <see cref="CryptographicException"/> when the key is not the envelope's or it was changed.
    /// </summary>
    public static int OpenWithKey(SealedIncident envelope, ReadOnlySpan<byte> key, Span<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (Malformed(envelope) is { } problem)
        {
            throw new CryptographicException($"The envelope is malformed: {problem}.");
        }

        return OpenWithKey(envelope.Version, envelope.IncidentId, envelope.KeyId, envelope.Nonce, envelope.Ciphertext, key, plaintext);
    }

    /// <summary>
    /// Opens an envelope from its parts: <paramref name="ciphertext"/> (tag last) into <paramref name="plaintext"/>, which may
    /// be the same memory as the ciphertext (decrypted in place) but must not overlap it otherwise; returns how many bytes it
    /// wrote. Throws <see cref="CryptographicException"/> when the key is not the envelope's or it was changed.
    /// </summary>
    public static int OpenWithKey(int version, string incidentId, string keyId, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> key, Span<byte> plaintext)
    {
        if (nonce.Length != NonceSize || ciphertext.Length < TagSize)
        {
            throw new CryptographicException("The envelope is malformed.");
        }

        var length = ciphertext.Length - TagSize;
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], AssociatedData(version, incidentId, keyId));
        }

        return length;
    }

    /// <summary>What is wrong with an envelope's shape (before any key is tried), or null.</summary>
    public static string? Malformed(SealedIncident envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return !Supports(envelope.Version) ? $"version {envelope.Version} is not {CurrentVersion} or {BinaryVersion}"
            : !IncidentId.IsValid(envelope.IncidentId) ? "incidentId is not an incident ID"
            : string.IsNullOrWhiteSpace(envelope.KeyId) || envelope.KeyId.Length > 64 ? "keyId is missing or too long"
            : envelope.EphemeralPublicKey is not { Length: > 0 and <= 1024 } ? "ephemeralPublicKey is missing or too long"
            : envelope.Nonce is not { Length: NonceSize } ? $"nonce is not {NonceSize} bytes"
            : envelope.Ciphertext is not { Length: >= TagSize } ? "ciphertext is shorter than its tag"
            : null;
    }

    private static byte[] DeriveKey(byte[] sharedSecret, ReadOnlySpan<byte> ephemeralPublic, string keyId, int version)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, ephemeralPublic, Encoding.UTF8.GetBytes(Suite(version) + "\n" + keyId));
        CryptographicOperations.ZeroMemory(sharedSecret);
        return key;
    }

    private static byte[] AssociatedData(int version, string incidentId, string keyId) =>
        Encoding.UTF8.GetBytes(Suite(version) + "\n" + incidentId + "\n" + keyId);
}
