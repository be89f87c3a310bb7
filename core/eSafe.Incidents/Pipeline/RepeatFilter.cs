using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace eSafe.Incidents.Pipeline;

/// <summary>
/// Remembers recent hits so that the same words in the same field, sent again after another pause,
/// do not make another incident. Bounded, so a flood cannot grow it. Keys are kept as 128-bit keyed hashes
/// (HMAC-SHA256 with the store's secret, or a random one without a store), so that a short key cannot be found
/// from the stored hashes by trying guesses; with a store they outlive the process (<see cref="Persist"/>), and
/// what another process stored is taken in.
/// </summary>
public sealed class RepeatFilter(TimeProvider clock, TimeSpan window, int capacity = 4096, IRepeatStore? store = null)
{
    private readonly Dictionary<UInt128, DateTimeOffset> _seen = [];
    private readonly byte[] _hashKey = store?.HashKey.ToArray() ?? RandomNumberGenerator.GetBytes(IRepeatStore.HashKeyBytes);

    /// <summary>True the first time a key is seen within the window (and it is marked seen); false for a repeat.</summary>
    public bool IsNew(string key)
    {
        var hash = Hash(key);
        var now = clock.GetUtcNow();
        lock (_seen)
        {
            if (_seen.TryGetValue(hash, out var at) && now - at < window)
            {
                return false;
            }

            MakeRoom(now);
            _seen[hash] = now;
            return true;
        }
    }

    /// <summary>Unmarks keys whose incident could not be stored, so that the event's resend makes it.</summary>
    public void Forget(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_seen)
        {
            foreach (var key in keys)
            {
                _seen.Remove(Hash(key));
            }
        }
    }

    /// <summary>Takes in what the store holds that this filter has not seen (another host process's hits).</summary>
    public void Refresh()
    {
        if (store?.LoadIfChanged() is not { } stored)
        {
            return;
        }

        var now = clock.GetUtcNow();
        lock (_seen)
        {
            foreach (var (hash, at) in stored)
            {
                if (now - at < window && at <= now && (!_seen.TryGetValue(hash, out var known) || known < at))
                {
                    MakeRoom(now);
                    _seen[hash] = at;
                }
            }
        }
    }

    /// <summary>Makes the keys seen so far durable (a no-op without a store).</summary>
    public void Persist()
    {
        if (store is null)
        {
            return;
        }

        Refresh();
        var now = clock.GetUtcNow();
        Dictionary<UInt128, DateTimeOffset> current;
        lock (_seen)
        {
            current = _seen.Where(p => now - p.Value < window).ToDictionary();
        }

        store.Save(current);
    }

    /// <summary>The first 128 bits of the key's HMAC-SHA256 under this filter's secret.</summary>
    public UInt128 Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(key), digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest);
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_seen.Count < capacity)
        {
            return;
        }

        foreach (var old in _seen.Where(p => now - p.Value >= window).Select(p => p.Key).ToList())
        {
            _seen.Remove(old);
        }

        if (_seen.Count >= capacity)
        {
            _seen.Remove(_seen.MinBy(p => p.Value).Key);
        }
    }
}
