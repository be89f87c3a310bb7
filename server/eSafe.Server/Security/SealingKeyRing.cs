using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using eSafe.Incidents;

namespace eSafe.Server.Security;

/// <summary>
/// The server's ECDH P-256 key pairs that devices seal incidents to, one PEM file each in the keys folder
/// (<c>sealing-k1.pem</c>, <c>sealing-k2.pem</c>, …). Devices get the newest at enrolment; every key on file
/// still opens what was sealed to it, so a key can be rotated by adding the next one.
/// </summary>
public sealed class SealingKeyRing
{
    private const string FilePrefix = "sealing-";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly Dictionary<string, byte[]> _privateKeys;
    private readonly ConcurrentDictionary<string, ConcurrentBag<ECDiffieHellman>> _pools = new(StringComparer.Ordinal);

    private SealingKeyRing(Dictionary<string, byte[]> privateKeys, ServerSealingKey current)
    {
        _privateKeys = privateKeys;
        Current = current;
    }

    /// <summary>The key that devices are told to seal to.</summary>
    public ServerSealingKey Current { get; }

    public IReadOnlyCollection<string> KeyIds => _privateKeys.Keys;

    /// <summary>Whether a key with this ID is on file (what was sealed to it can be opened).</summary>
    public bool Has(string? keyId) => keyId is not null && _privateKeys.ContainsKey(keyId);

    /// <summary>
    /// A private key to open an envelope with, for this caller alone until the lease is disposed; its <see cref="PrivateKeyLease.Key"/>
    /// is null for a key ID not on file. Keys are imported once and reused: an ECDH object is not shared between threads
    /// at once, so each lease takes one from the key's pool (or imports one more when all are in use) and gives it back.
    /// </summary>
    public PrivateKeyLease RentPrivateKey(string? keyId)
    {
        if (keyId is null || !_privateKeys.TryGetValue(keyId, out var pkcs8))
        {
            return default;
        }

        var pool = _pools.GetOrAdd(keyId, _ => new ConcurrentBag<ECDiffieHellman>());
        if (!pool.TryTake(out var key))
        {
            key = ECDiffieHellman.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
        }

        return new PrivateKeyLease(key, pool);
    }

    /// <summary>A pooled private key, returned to its pool on dispose (<see cref="RentPrivateKey"/>).</summary>
    public readonly struct PrivateKeyLease : IDisposable
    {
        // More idle keys than this are disposed rather than kept: enough for every request a busy server runs at once.
        private const int MaxIdle = 64;
        private readonly ConcurrentBag<ECDiffieHellman>? _pool;

        internal PrivateKeyLease(ECDiffieHellman key, ConcurrentBag<ECDiffieHellman> pool)
        {
            Key = key;
            _pool = pool;
        }

        public ECDiffieHellman? Key { get; }

        public void Dispose()
        {
            if (Key is null)
            {
                return;
            }

            if (_pool!.Count < MaxIdle)
            {
                _pool.Add(Key);
            }
            else
            {
                Key.Dispose();
            }
        }
    }

    /// <summary>Adds the next sealing key (<c>sealing-k{n+1}.pem</c>); devices are told of it from the server's next start. Returns its ID.</summary>
    public static string Rotate(string keysDirectory)
    {
        var highest = Directory.GetFiles(keysDirectory, FilePrefix + "k*.pem")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f).AsSpan(FilePrefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
        var keyId = "k" + (highest + 1).ToString(CultureInfo.InvariantCulture);
        using var created = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        SecureFiles.Write(Path.Combine(keysDirectory, FilePrefix + keyId + ".pem"),
            System.Text.Encoding.ASCII.GetBytes(created.ExportPkcs8PrivateKeyPem() + "\n"), overwrite: false);
        return keyId;
    }

    /// <summary>Loads every sealing key in the folder; makes <c>k1</c> when there is none and <paramref name="mayCreate"/>.</summary>
    public static SealingKeyRing Load(string keysDirectory, bool mayCreate)
    {
        var files = Directory.GetFiles(keysDirectory, FilePrefix + "k*.pem");
        if (files.Length == 0)
        {
            if (!mayCreate)
            {
                throw new ServerSetupException(
                    $"There is no sealing key (keys/{FilePrefix}k1.pem) but the database exists: restore the keys folder from its backup.");
            }

            using var created = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var pem = created.ExportPkcs8PrivateKeyPem();
            SecureFiles.Write(Path.Combine(keysDirectory, FilePrefix + "k1.pem"), System.Text.Encoding.ASCII.GetBytes(pem + "\n"), overwrite: false);
            files = Directory.GetFiles(keysDirectory, FilePrefix + "k*.pem");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var newest = (Number: 0, Id: "", PublicKey: Array.Empty<byte>());
        foreach (var file in files)
        {
            var keyId = Path.GetFileNameWithoutExtension(file)[FilePrefix.Length..];
            if (!int.TryParse(keyId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                continue;
            }

            using var key = ECDiffieHellman.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(file));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new ServerSetupException($"keys/{Path.GetFileName(file)} is not a PEM private key.", e);
            }

            if (key.ExportParameters(false).Curve.Oid?.Value != P256Oid)
            {
                throw new ServerSetupException($"keys/{Path.GetFileName(file)} is not a P-256 key.");
            }

            keys[keyId] = key.ExportPkcs8PrivateKey();
            if (number > newest.Number)
            {
                newest = (number, keyId, key.ExportSubjectPublicKeyInfo());
            }
        }

        if (keys.Count == 0)
        {
            throw new ServerSetupException("No usable sealing key was found in the keys folder.");
        }

        return new SealingKeyRing(keys, new ServerSealingKey(newest.Id, newest.PublicKey));
    }
}
