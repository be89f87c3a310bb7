using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace eSafe.Server.Security;

/// <summary>
/// Encrypts what the server stores (incident contents, screenshots, school keys, device names) with
/// AES-256-GCM under the data key, kept outside the database. Each blob is bound to its purpose and record
/// (associated data), so a blob moved to another record does not open. The data key can be rotated: the keys
/// folder holds <c>data.key</c> (key 1) and <c>data-k2.key</c>, <c>data-k3.key</c>, … after each rotation; new
/// blobs use the newest, every key on file still opens what it made, and <c>esafe-server keys re-encrypt</c>
/// moves old blobs to the newest. Layout: version 2 (1 byte) | key number (2, big-endian) | nonce (12) |
/// ciphertext | tag (16); version 1 (from before rotation: key 1, no key number) still opens.
/// </summary>
public sealed class AtRestCipher
{
    public const string KeyFileName = "data.key";
    private const string RotatedKeyPrefix = "data-k";
    private const byte LegacyVersion = 1;
    private const byte Version = 2;
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Suite = "esafe-at-rest-v1\n";
    public const string IndexKeyFileName = "index.key";
    private readonly Dictionary<int, byte[]> _keys;

    // Keys the tags records are found by; kept apart from the data keys so that rotating those leaves every tag valid.
    private readonly byte[] _indexKey;

    public AtRestCipher(byte[] key) : this(new Dictionary<int, byte[]> { [1] = key },
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeySize, info: Encoding.ASCII.GetBytes("esafe-index-v1")))
    {
    }

    private AtRestCipher(Dictionary<int, byte[]> keys, byte[] indexKey)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Values.Any(k => k is null || k.Length != KeySize))
        {
            throw new ArgumentException("Every data key must be 32 bytes.", nameof(keys));
        }

        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray());
        CurrentKey = keys.Keys.Max();
        _indexKey = indexKey.ToArray();
    }

    /// <summary>The number of the key new blobs are made with (1 for <c>data.key</c>, n for <c>data-kn.key</c>).</summary>
    public int CurrentKey { get; }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string purpose)
    {
        const int header = 3;
        var blob = new byte[header + NonceSize + plaintext.Length + TagSize];
        blob[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(1, 2), (ushort)CurrentKey);
        var nonce = blob.AsSpan(header, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[CurrentKey], TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(header + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(purpose));
        return blob;
    }

    /// <summary>Opens a blob; throws <see cref="CryptographicException"/> when it was changed, moved, or made with a key not on file.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> blob, string purpose)
    {
        var (keyNumber, header) = Header(blob);
        if (!_keys.TryGetValue(keyNumber, out var key))
        {
            throw new CryptographicException($"The stored value was encrypted with data key {keyNumber}, which is not in the keys folder.");
        }

        var plaintext = new byte[blob.Length - header - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.Slice(header, NonceSize), blob.Slice(header + NonceSize, plaintext.Length), blob[^TagSize..], plaintext,
            AssociatedData(purpose));
        return plaintext;
    }

    /// <summary>The number of the data key a blob was made with; throws <see cref="CryptographicException"/> for what is not a blob.</summary>
    public static int KeyOf(ReadOnlySpan<byte> blob) => Header(blob).KeyNumber;

    /// <summary>The blob made again with the current key (the same blob when it is made with it already).</summary>
    public byte[] ReEncrypt(byte[] blob, string purpose)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (KeyOf(blob) == CurrentKey)
        {
            return blob;
        }

        var plaintext = Decrypt(blob, purpose);
        try
        {
            return Encrypt(plaintext, purpose);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// A keyed tag of a value, for finding records by it without keeping it in the clear (a pupil's user ID, an alert's token):
    /// equal values give equal tags, and without the index key a tag says nothing.
    /// </summary>
    public string IndexTag(string purpose, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(purpose + "\n" + value)).AsSpan(0, 16));
    }

    public byte[] EncryptText(string text, string purpose) => Encrypt(Encoding.UTF8.GetBytes(text), purpose);

    public string DecryptText(ReadOnlySpan<byte> blob, string purpose) => Encoding.UTF8.GetString(Decrypt(blob, purpose));

    /// <summary>Reads every data key in the keys folder, or makes key 1 when there is none and <paramref name="mayCreate"/>.</summary>
    public static AtRestCipher Load(string keysDirectory, bool mayCreate)
    {
        var path = Path.Combine(keysDirectory, KeyFileName);
        var files = KeyFiles(keysDirectory);
        if (files.Count == 0)
        {
            if (!mayCreate)
            {
                throw new ServerSetupException(
                    $"There is no data key (keys/{KeyFileName}) but the database exists: restore the keys folder from its backup.");
            }

            WriteNewKey(path);
            files = KeyFiles(keysDirectory);
        }

        var keys = new Dictionary<int, byte[]>();
        foreach (var (number, file) in files)
        {
            keys[number] = ReadKey(file);
        }

        // The index key is made once, beside the data keys, whenever it is missing (it finds records; it opens none).
        var indexPath = Path.Combine(keysDirectory, IndexKeyFileName);
        if (!File.Exists(indexPath))
        {
            WriteNewKey(indexPath);
        }

        var indexKey = ReadKey(indexPath);
        var cipher = new AtRestCipher(keys, indexKey);
        CryptographicOperations.ZeroMemory(indexKey);
        foreach (var key in keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return cipher;
    }

    /// <summary>Adds the next data key to the keys folder (new blobs use it from the next start); returns its number.</summary>
    public static int Rotate(string keysDirectory)
    {
        var files = KeyFiles(keysDirectory);
        var next = files.Count == 0 ? 1 : files.Keys.Max() + 1;
        if (next > ushort.MaxValue)
        {
            throw new ServerSetupException("There are too many data keys: re-encrypt and remove the oldest first.");
        }

        WriteNewKey(Path.Combine(keysDirectory, next == 1 ? KeyFileName : RotatedKeyPrefix + next.ToString(CultureInfo.InvariantCulture) + ".key"));
        return next;
    }

    private static SortedDictionary<int, string> KeyFiles(string keysDirectory)
    {
        var files = new SortedDictionary<int, string>();
        var legacy = Path.Combine(keysDirectory, KeyFileName);
        if (File.Exists(legacy))
        {
            files[1] = legacy;
        }

        foreach (var file in Directory.GetFiles(keysDirectory, RotatedKeyPrefix + "*.key"))
        {
            var name = Path.GetFileNameWithoutExtension(file)[RotatedKeyPrefix.Length..];
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 2)
            {
                files[number] = file;
            }
        }

        return files;
    }

    private static void WriteNewKey(string path)
    {
        var created = RandomNumberGenerator.GetBytes(KeySize);
        SecureFiles.Write(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(created) + "\n"), overwrite: false);
        CryptographicOperations.ZeroMemory(created);
    }

    private static byte[] ReadKey(string path)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException e)
        {
            throw new ServerSetupException($"keys/{Path.GetFileName(path)} is not base64.", e);
        }

        return key.Length == KeySize ? key : throw new ServerSetupException($"keys/{Path.GetFileName(path)} does not hold a 32-byte key.");
    }

    private static (int KeyNumber, int HeaderLength) Header(ReadOnlySpan<byte> blob) => blob switch
    {
        [LegacyVersion, ..] when blob.Length >= 1 + NonceSize + TagSize => (1, 1),
        [Version, _, _, ..] when blob.Length >= 3 + NonceSize + TagSize => (BinaryPrimitives.ReadUInt16BigEndian(blob[1..3]), 3),
        _ => throw new CryptographicException("The stored value is not an encrypted blob this server knows."),
    };

    private static byte[] AssociatedData(string purpose) => Encoding.UTF8.GetBytes(Suite + purpose);
}
