using System.Buffers.Binary;

namespace eSafe.Server.Storage;

/// <summary>
/// A device's repeat-filter hits as one byte string, as every store keeps them: 16 bytes of hash and 8 of Unix
/// milliseconds an entry, big-endian.
/// </summary>
public static class RepeatHits
{
    private const int EntryBytes = 24;

    public static byte[] Write(IReadOnlyDictionary<UInt128, DateTimeOffset> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var bytes = new byte[seen.Count * EntryBytes];
        var at = 0;
        foreach (var (hash, when) in seen)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(at, 16), hash);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 16, 8), when.ToUnixTimeMilliseconds());
            at += EntryBytes;
        }

        return bytes;
    }

    public static Dictionary<UInt128, DateTimeOffset> Read(ReadOnlySpan<byte> bytes)
    {
        var seen = new Dictionary<UInt128, DateTimeOffset>();
        for (var at = 0; at + EntryBytes <= bytes.Length; at += EntryBytes)
        {
            seen[BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(at, 16))] =
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(at + 16, 8)));
        }

        return seen;
    }
}
