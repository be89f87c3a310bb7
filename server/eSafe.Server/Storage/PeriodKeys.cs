using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using eSafe.Server.Security;

namespace eSafe.Server.Storage;

/// <summary>
/// Encrypts incidents under their school's key for the month they were received in (crypto-shredding: when the month
/// expires the key is destroyed, and every copy of what it encrypted opens nothing). Each key is 32 random bytes, wrapped
/// with the data key and kept in <see cref="IPeriodKeyStore"/>; so rotating the data key re-wraps a few keys, not every record.
/// Layout: version 3 (1 byte) | nonce (12) | ciphertext | tag (16), bound to the school, period and purpose; the key is
/// found from the record's clear school and receipt time. Blobs of versions 1 and 2 (made with the data key) still open.
/// </summary>
public sealed class PeriodKeys(IPeriodKeyStore store, AtRestCipher cipher, TimeProvider clock)
{
    public const byte Version = 3;
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Suite = "esafe-period-v1\n";

    // Unwrapped keys, held a short while: another process may destroy one, and memory is no place to keep it for long.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string School, string Period), (byte[] Key, DateTimeOffset Until)> _cache = new();

    public static string WrapPurpose(string schoolId, string period) => "period-key\n" + schoolId + "\n" + period;

    public static bool IsPeriodBlob(ReadOnlySpan<byte> blob) => blob.Length >= 1 + NonceSize + TagSize && blob[0] == Version;

    /// <summary>Encrypts under the period's key, made now when the period has none yet.</summary>
    public async Task<byte[]> EncryptAsync(string schoolId, DateTimeOffset receivedAt, byte[] plaintext, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var period = RetentionPeriod.Of(receivedAt);
        var key = await KeyAsync(schoolId, period, create: true, cancellationToken);
        var blob = new byte[1 + NonceSize + plaintext.Length + TagSize];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(schoolId, period, purpose));
        return blob;
    }

    /// <summary>Opens a period blob (or an older data-key blob); <see cref="CryptographicException"/> when its key is destroyed or it was changed.</summary>
    public async Task<byte[]> DecryptAsync(string schoolId, DateTimeOffset receivedAt, byte[] blob, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (!IsPeriodBlob(blob))
        {
            return cipher.Decrypt(blob, purpose);
        }

        var period = RetentionPeriod.Of(receivedAt);
        var key = await KeyAsync(schoolId, period, create: false, cancellationToken);
        return Open(key, schoolId, period, blob, purpose);
    }

    /// <summary>Opens a period blob with a key given (for showing what a copy of the data does and does not open).</summary>
    public static byte[] Open(byte[] key, string schoolId, string period, byte[] blob, string purpose)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(blob);
        if (!IsPeriodBlob(blob))
        {
            throw new CryptographicException("The stored value is not a period blob.");
        }

        var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), plaintext,
            AssociatedData(schoolId, period, purpose));
        return plaintext;
    }

    /// <summary>Destroys the period's key (see <see cref="IPeriodKeyStore.DestroyAsync"/>) and forgets it here.</summary>
    public async Task<bool> DestroyAsync(string schoolId, string period, CancellationToken cancellationToken)
    {
        if (_cache.TryRemove((schoolId, period), out var cached))
        {
            CryptographicOperations.ZeroMemory(cached.Key);
        }

        return await store.DestroyAsync(schoolId, period, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<byte[]> KeyAsync(string schoolId, string period, bool create, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue((schoolId, period), out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var record = await store.GetAsync(schoolId, period, cancellationToken);
        if (record is null && create)
        {
            var fresh = RandomNumberGenerator.GetBytes(KeySize);
            record = await store.AddIfMissingAsync(new PeriodKeyRecord(schoolId, period, cipher.Encrypt(fresh, WrapPurpose(schoolId, period)), now, null),
                cancellationToken);
            CryptographicOperations.ZeroMemory(fresh);
        }

        if (record?.Wrapped is not { } wrapped)
        {
            throw new CryptographicException(record is null
                ? $"School {schoolId} has no key for {period}."
                : $"The key of school {schoolId} for {period} was destroyed (retention): what it encrypted is gone.");
        }

        var key = cipher.Decrypt(wrapped, WrapPurpose(schoolId, period));
        _cache[(schoolId, period)] = (key, now + CacheLifetime);
        return key;
    }

    private static byte[] AssociatedData(string schoolId, string period, string purpose) =>
        Encoding.UTF8.GetBytes(Suite + schoolId + "\n" + period + "\n" + purpose);
}
