using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace eSafe.Server.Security;

/// <summary>
/// The AES keys of envelopes this process opened lately, by (key ID, ephemeral public key bytes), so that a Chromebook's
/// sealing session (many envelopes under one ephemeral key, docs/PROTOCOL.md §2b) costs the ECDH once, not per batch.
/// Bounded: at most <c>capacity</c> entries in two generations (the older dropped whole when the newer fills or ages), and
/// an entry is never served later than <c>lifetime</c> after it was derived. Only the process's memory holds it; keys leaving
/// it are wiped. A key is put here only after it opened an envelope, and a lookup needs the exact bytes and key ID, so a
/// hit can never open what the ECDH would not have (the GCM tag still decides).
/// </summary>
public sealed class EnvelopeKeyCache
{
    public const int DefaultCapacity = 65_536;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);
    public const int KeySize = 32;

    private readonly TimeProvider _clock;
    private readonly int _generationSize;
    private readonly TimeSpan _lifetime;
    private readonly Lock _lock = new();
    private Dictionary<Name, Entry> _current = new(NameComparer.Instance);
    private Dictionary<Name, Entry> _previous = new(NameComparer.Instance);
    private DateTimeOffset _currentStarted;

    public EnvelopeKeyCache(TimeProvider clock, int capacity = DefaultCapacity, TimeSpan? lifetime = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _generationSize = capacity / 2;
        _lifetime = lifetime ?? DefaultLifetime;
        _currentStarted = clock.GetUtcNow();
    }

    /// <summary>How many keys are held now (both generations).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _current.Count + _previous.Count;
            }
        }
    }

    /// <summary>Copies the key kept for this key ID and ephemeral key into <paramref name="key"/> (32 bytes); false when none is kept or it is too old.</summary>
    public bool TryGet(string keyId, byte[] ephemeralPublicKey, Span<byte> key)
    {
        var name = new Name(keyId, ephemeralPublicKey);
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            RotateIfOld(now);
            if (_current.TryGetValue(name, out var entry) || TakeFromPrevious(name, out entry))
            {
                if (Fresh(entry, now))
                {
                    entry.Key.CopyTo(key);
                    return true;
                }

                _current.Remove(name);
                CryptographicOperations.ZeroMemory(entry.Key);
            }

            return false;
        }
    }

    /// <summary>Keeps the key an envelope under this key ID and ephemeral key opened with (copied; the caller wipes its own).</summary>
    public void Add(string keyId, byte[] ephemeralPublicKey, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(ephemeralPublicKey);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"An envelope key is {KeySize} bytes.", nameof(key));
        }

        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            RotateIfOld(now);
            if (_current.Count >= _generationSize)
            {
                Rotate(now);
            }

            var name = new Name(keyId, [.. ephemeralPublicKey]);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, name, out var existed);
            if (!existed)
            {
                slot = new Entry(name, key.ToArray(), now);
            }
        }
    }

    /// <summary>Drops every key kept for <paramref name="keyId"/> (a sealing key retired from this process).</summary>
    public void Forget(string keyId)
    {
        lock (_lock)
        {
            foreach (var generation in new[] { _current, _previous })
            {
                foreach (var name in generation.Keys.Where(n => string.Equals(n.KeyId, keyId, StringComparison.Ordinal)).ToList())
                {
                    CryptographicOperations.ZeroMemory(generation[name].Key);
                    generation.Remove(name);
                }
            }
        }
    }

    private bool Fresh(Entry entry, DateTimeOffset now) => now >= entry.Derived && now - entry.Derived < _lifetime;

    // A key used from the older generation moves to the newer, keeping its age: sessions in use stay, one-use keys fall out.
    private bool TakeFromPrevious(Name name, out Entry entry)
    {
        if (!_previous.Remove(name, out entry))
        {
            return false;
        }

        if (_current.Count >= _generationSize)
        {
            Rotate(_clock.GetUtcNow());
        }

        _current[entry.Name] = entry;
        return true;
    }

    // A generation lasts at most half the lifetime, so no key stays in memory much beyond it; after a whole lifetime (or a
    // clock that went back) both go.
    private void RotateIfOld(DateTimeOffset now)
    {
        var age = now - _currentStarted;
        if (age >= _lifetime || age < TimeSpan.Zero)
        {
            Rotate(now);
            Rotate(now);
        }
        else if (age >= _lifetime / 2)
        {
            Rotate(now);
        }
    }

    private void Rotate(DateTimeOffset now)
    {
        foreach (var entry in _previous.Values)
        {
            CryptographicOperations.ZeroMemory(entry.Key);
        }

        _previous.Clear();
        (_previous, _current) = (_current, _previous);
        _currentStarted = now;
    }

    // The name it is filed under, with its own copy of the bytes (a lookup's name holds the request's).
    private readonly record struct Entry(Name Name, byte[] Key, DateTimeOffset Derived);

    private readonly record struct Name(string KeyId, byte[] EphemeralPublicKey);

    /// <summary>Exact bytes and key ID; the hash is the runtime's per-process randomised one, so no device can aim collisions.</summary>
    private sealed class NameComparer : IEqualityComparer<Name>
    {
        public static readonly NameComparer Instance = new();

        public bool Equals(Name x, Name y) =>
            string.Equals(x.KeyId, y.KeyId, StringComparison.Ordinal) && x.EphemeralPublicKey.AsSpan().SequenceEqual(y.EphemeralPublicKey);

        public int GetHashCode(Name obj)
        {
            var hash = new HashCode();
            hash.Add(obj.KeyId, StringComparer.Ordinal);
            hash.AddBytes(obj.EphemeralPublicKey);
            return hash.ToHashCode();
        }
    }
}
