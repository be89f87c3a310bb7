using System.Security.Cryptography;

namespace eSafe.Server.Extension;

/// <summary>
/// Chrome's extension ID: the first 16 bytes of the SHA-256 of the publisher's public key (DER
/// SubjectPublicKeyInfo), written as 32 letters a–p (each hex digit 0–f moved to a–p).
/// </summary>
public static class ExtensionId
{
    /// <summary>The 16 bytes a CRX3 header signs as its <c>crx_id</c>.</summary>
    public static byte[] CrxId(ReadOnlySpan<byte> subjectPublicKeyInfo) => SHA256.HashData(subjectPublicKeyInfo)[..16];

    public static string FromPublicKey(ReadOnlySpan<byte> subjectPublicKeyInfo) => FromCrxId(CrxId(subjectPublicKeyInfo));

    public static string FromCrxId(ReadOnlySpan<byte> crxId) =>
        string.Create(crxId.Length * 2, crxId.ToArray(), static (letters, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                letters[2 * i] = (char)('a' + (bytes[i] >> 4));
                letters[(2 * i) + 1] = (char)('a' + (bytes[i] & 0xF));
            }
        });
}
