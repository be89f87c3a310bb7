using System.Security.Cryptography;
using System.Text;

namespace eSafe.Server.Security;

/// <summary>
/// Encrypts what the server stores (incident contents, screenshots, school keys, device names) with
/// AES-256-GCM under the data key in <c>keys/data.key</c>, kept outside the database. Each blob is bound
/// to its purpose and record (associated data), so a blob moved to another record does not open.
/// Layout: version (1 byte) | nonce (12) | ciphertext | tag (16).
/// </summary>
public sealed class AtRestCipher
{
    public const string KeyFileName = "data.key";
    private const byte Version = 1;
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Suite = "esafe-at-rest-v1\n";
    private readonly byte[] _key;
    private readonly byte[] _indexKey;

    public AtRestCipher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException("The data key must be 32 bytes.", nameof(key));
        }

        _key = key.ToArray();
        _indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeySize, info: Encoding.ASCII.GetBytes("esafe-index-v1"));
    }

    /// <summary>
    /// A keyed tag of a value, for finding records by it without keeping it in the clear (a pupil's user ID, an alert's token):
    /// equal values give equal tags, and without the data key a tag says nothing.
    /// </summary>
    public string IndexTag(string purpose, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(purpose + "\n" + value)).AsSpan(0, 16));
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var blob = new byte[1 + NonceSize + plaintext.Length + TagSize];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(purpose));
        return blob;
    }

    /// <summary>Opens a blob; throws <see cref="CryptographicException"/> when it was changed, moved, or made with another key.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> blob, string purpose)
    {
        if (blob.Length < 1 + NonceSize + TagSize || blob[0] != Version)
        {
            throw new CryptographicException("The stored value is not an encrypted blob this server knows.");
        }

        var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(blob.Slice(1, NonceSize), blob.Slice(1 + NonceSize, plaintext.Length), blob[^TagSize..], plaintext,
            AssociatedData(purpose));
        return plaintext;
    }

    public byte[] EncryptText(string text, string purpose) => Encrypt(Encoding.UTF8.GetBytes(text), purpose);

    public string DecryptText(ReadOnlySpan<byte> blob, string purpose) => Encoding.UTF8.GetString(Decrypt(blob, purpose));

    /// <summary>Reads the data key from the keys folder, or makes one when there is none and <paramref name="mayCreate"/>.</summary>
    public static AtRestCipher Load(string keysDirectory, bool mayCreate)
    {
        var path = Path.Combine(keysDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            if (!mayCreate)
            {
                throw new ServerSetupException(
                    $"There is no data key (keys/{KeyFileName}) but the database exists: restore the keys folder from its backup.");
            }

            var created = RandomNumberGenerator.GetBytes(KeySize);
            SecureFiles.Write(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(created) + "\n"), overwrite: false);
            CryptographicOperations.ZeroMemory(created);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException e)
        {
            throw new ServerSetupException($"keys/{KeyFileName} is not base64.", e);
        }

        if (key.Length != KeySize)
        {
            throw new ServerSetupException($"keys/{KeyFileName} does not hold a 32-byte key.");
        }

        var cipher = new AtRestCipher(key);
        CryptographicOperations.ZeroMemory(key);
        return cipher;
    }

    private static byte[] AssociatedData(string purpose) => Encoding.UTF8.GetBytes(Suite + purpose);
}
