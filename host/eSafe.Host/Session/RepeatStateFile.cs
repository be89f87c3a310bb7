using System.Buffers.Binary;
using System.Security.Cryptography;
using eSafe.Host.Configuration;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Session;

/// <summary>
/// The repeat filter's recent hits in the state folder, so that the next host process (Chrome starts one per
/// port) recognises a resent event. Only 128-bit keyed hashes of keys (the secret is in <paramref name="keyPath"/>,
/// see <see cref="RepeatKeyFile"/>) and times: no pupil's words. A file that is missing, damaged, from another
/// format version or written under another secret is read as empty (and said so in the log).
/// Several host processes of one account share the file (two profiles of one OS user, or Chrome's one process a
/// port): a save takes the lock file, merges what is on disk with its own hits (the newer time wins) and renames a
/// whole new file into place, so no process loses another's hits and no reader sees half a file.
/// </summary>
/// <remarks>Format: "ESRP", version, 3 zero bytes, count (uint32 LE), then per entry the hash (16 bytes BE) and
/// the Unix time in ms (int64 LE), then the HMAC-SHA256 of everything before it under the secret.</remarks>
public sealed class RepeatStateFile(string path, string keyPath, HostLog log) : IRepeatStore
{
    public const int MaxEntries = 4096;
    private const int HeaderBytes = 12;
    private const int EntryBytes = 24;
    private const byte FormatVersion = 2;
    private static readonly byte[] Magic = "ESRP"u8.ToArray();
    private (DateTime WrittenAt, long Length)? _known;
    private byte[]? _key;

    public ReadOnlyMemory<byte> HashKey => Key;

    private byte[] Key => _key ??= LoadKey();

    public IReadOnlyDictionary<UInt128, DateTimeOffset>? LoadIfChanged()
    {
        var file = new FileInfo(path);
        if (!file.Exists || _known == (file.LastWriteTimeUtc, file.Length))
        {
            return null;
        }

        _known = (file.LastWriteTimeUtc, file.Length);
        try
        {
            return Parse(File.ReadAllBytes(path)) ?? Damaged("it is damaged or was written under another secret");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Damaged(e.Message);
        }
    }

    public void Save(IReadOnlyDictionary<UInt128, DateTimeOffset> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        _ = Key; // the secret takes the same lock when it is first read: never while holding it
        using (RepeatFileLock.Take(path + ".lock", log))
        {
            // Read under the lock: what another process saved since this one last looked is kept, not overwritten.
            var merged = ReadForMerge();
            RepeatHitMerge.Merge(merged, seen);

            Write(merged);
            // Known (not to be read again) only when it holds nothing but this process's hits; else the next load takes the
            // others' in. Stamped under the lock, so no other process's file can be mistaken for this one.
            var file = new FileInfo(path);
            _known = merged.Any(p => !seen.TryGetValue(p.Key, out var at) || at < p.Value) ? null : (file.LastWriteTimeUtc, file.Length);
        }
    }

    private Dictionary<UInt128, DateTimeOffset> ReadForMerge()
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllBytes(path)) ?? [] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"the repeat filter's file {Path.GetFileName(path)} cannot be read before saving ({e.Message}); it is replaced");
            return [];
        }
    }

    private void Write(Dictionary<UInt128, DateTimeOffset> seen)
    {
        var kept = seen.OrderByDescending(p => p.Value).Take(MaxEntries).ToList();
        var bytes = new byte[HeaderBytes + (kept.Count * EntryBytes) + HMACSHA256.HashSizeInBytes];
        Magic.CopyTo(bytes, 0);
        bytes[4] = FormatVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)kept.Count);
        var at = HeaderBytes;
        foreach (var (hash, time) in kept)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(at), hash);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 16), time.ToUnixTimeMilliseconds());
            at += EntryBytes;
        }

        HMACSHA256.HashData(Key, bytes.AsSpan(0, at), bytes.AsSpan(at));
        StateFiles.WriteAtomically(path, bytes);
    }

    private Dictionary<UInt128, DateTimeOffset>? Parse(byte[] bytes)
    {
        if (bytes.Length < HeaderBytes + HMACSHA256.HashSizeInBytes || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || bytes[4] != FormatVersion)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var body = HeaderBytes + ((long)count * EntryBytes);
        if (count > MaxEntries || bytes.Length != body + HMACSHA256.HashSizeInBytes
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Key, bytes.AsSpan(0, (int)body)), bytes.AsSpan((int)body)))
        {
            return null;
        }

        var seen = new Dictionary<UInt128, DateTimeOffset>((int)count);
        for (var at = HeaderBytes; at < body; at += EntryBytes)
        {
            var milliseconds = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 16));
            if (milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return null;
            }

            seen[BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(at))] = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        return seen;
    }

    private byte[] LoadKey()
    {
        try
        {
            // Under the save lock: two hosts starting at once would otherwise each make a secret (a move that must not
            // overwrite is a check then a rename on Unix), and the loser's hits would no longer check out.
            using (RepeatFileLock.Take(path + ".lock", log))
            {
                return RepeatKeyFile.LoadOrCreate(keyPath, log);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still filters repeats within this process; what it saves, the next one cannot check and drops.
            log.Error($"the repeat filter's secret cannot be kept ({e.Message}); using one for this process only");
            return RandomNumberGenerator.GetBytes(IRepeatStore.HashKeyBytes);
        }
    }

    private Dictionary<UInt128, DateTimeOffset>? Damaged(string why)
    {
        log.Error($"the repeat filter's file {Path.GetFileName(path)} cannot be used ({why}); starting without it");
        return null;
    }
}
