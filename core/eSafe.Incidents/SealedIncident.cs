namespace eSafe.Incidents;

/// <summary>
/// An incident sealed to the server's key: only the server can open it, and any change to it is detected.
/// Version 1: ephemeral ECDH P-256, HKDF-SHA256, AES-256-GCM (see docs/PROTOCOL.md).
/// </summary>
/// <param name="Version">The envelope's suite; the server refuses one it does not know.</param>
/// <param name="IncidentId">In the clear, so delivery can be idempotent without opening; bound into the seal.</param>
/// <param name="KeyId">Which server key it was sealed to, so keys can be rotated.</param>
/// <param name="EphemeralPublicKey">The device's one-use public key (SubjectPublicKeyInfo).</param>
/// <param name="Nonce">12 random bytes.</param>
/// <param name="Ciphertext">The incident's JSON, encrypted, followed by the 16-byte tag.</param>
public sealed record SealedIncident(
    int Version,
    string IncidentId,
    string KeyId,
    byte[] EphemeralPublicKey,
    byte[] Nonce,
    byte[] Ciphertext);

/// <summary>The server's public key for sealing, as a device receives it at enrolment.</summary>
public sealed record ServerSealingKey(string KeyId, byte[] PublicKey);
