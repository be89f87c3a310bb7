using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace eSafe.Server.Storage.Files;

/// <summary>
/// One screenshot in a segment file:
/// <c>"eSS1" | state (1 live, 0 erased) | ciphertext length (4, little-endian) | incident tag (16) | ciphertext | checksum (8)</c>.
/// The tag is SHA-256 of the incident ID, truncated: a read checks that the record is the incident's without the file naming
/// it. The checksum is the first 8 bytes of SHA-256 over everything before it (state 1): a record half-written when the
/// machine stopped does not pass, so a torn tail is told from a record. Erasing zeroes the tag, the ciphertext and the
/// checksum and sets the state to 0; the length stays, so the records after it can still be found.
/// </summary>
internal static class SegmentRecord
{
    public const int HeaderSize = 25;
    public const int TagSize = 16;
    public const int ChecksumSize = 8;
    private const byte Live = 1;
    private const byte Erased = 0;
    private static ReadOnlySpan<byte> Magic => "eSS1"u8;

    /// <summary>The whole record for an incident's ciphertext.</summary>
    public static byte[] Make(string incidentId, ReadOnlySpan<byte> blob)
    {
        var record = new byte[HeaderSize + blob.Length + ChecksumSize];
        Magic.CopyTo(record);
        record[4] = Live;
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(5), blob.Length);
        Tag(incidentId).CopyTo(record.AsSpan(9));
        blob.CopyTo(record.AsSpan(HeaderSize));
        Checksum(record.AsSpan(0, record.Length - ChecksumSize), record.AsSpan(record.Length - ChecksumSize));
        return record;
    }

    /// <summary>How a record names its incident.</summary>
    public static byte[] Tag(string incidentId) => SHA256.HashData(Encoding.UTF8.GetBytes(incidentId))[..TagSize];

    /// <summary>The whole record's size from its header; null when the header is not one.</summary>
    public static int? SizeOf(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic) || header[4] is not (Live or Erased))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[5..]);
        return length < 0 || length > int.MaxValue - HeaderSize - ChecksumSize ? null : HeaderSize + length + ChecksumSize;
    }

    /// <summary>The ciphertext of a whole record; null when it was erased; <see cref="InvalidDataException"/> when it is not intact or not the incident's.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> record, string incidentId, int length)
    {
        if (SizeOf(record) != record.Length || BinaryPrimitives.ReadInt32LittleEndian(record[5..]) != length)
        {
            throw new InvalidDataException("The screenshot file does not hold a record where the database says.");
        }

        if (record[4] == Erased)
        {
            return null;
        }

        if (!IsIntact(record) || !record.Slice(9, TagSize).SequenceEqual(Tag(incidentId)))
        {
            throw new InvalidDataException($"The screenshot record of incident {incidentId} is damaged or belongs to another incident.");
        }

        return record.Slice(HeaderSize, length).ToArray();
    }

    /// <summary>Zeroes the record at <paramref name="offset"/> in place (the caller flushes).</summary>
    public static void Erase(SafeFileHandle file, long offset)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (RandomAccess.Read(file, header, offset) != HeaderSize || SizeOf(header) is not { } size)
        {
            throw new InvalidDataException("The screenshot file does not hold a record where the database says.");
        }

        RandomAccess.Write(file, [Erased], offset + 4);
        RandomAccess.Write(file, new byte[size - 9], offset + 9);
    }

    /// <summary>
    /// The records of a segment from its start (live ones with their incident tag, erased ones without), up to the first that
    /// is not whole and intact: a torn tail, ignored.
    /// </summary>
    public static IEnumerable<(long Offset, byte[]? Tag, int Length)> Scan(SafeFileHandle file)
    {
        var end = RandomAccess.GetLength(file);
        var header = new byte[HeaderSize];
        for (long offset = 0; offset + HeaderSize <= end;)
        {
            if (RandomAccess.Read(file, header, offset) != HeaderSize || SizeOf(header) is not { } size || offset + size > end)
            {
                yield break;
            }

            var record = new byte[size];
            RandomAccess.Read(file, record, offset);
            if (record[4] == Live && !IsIntact(record))
            {
                yield break;
            }

            yield return (offset, record[4] == Live ? record[9..(9 + TagSize)] : null, size - HeaderSize - ChecksumSize);
            offset += size;
        }
    }

    private static bool IsIntact(ReadOnlySpan<byte> record)
    {
        Span<byte> checksum = stackalloc byte[ChecksumSize];
        Checksum(record[..^ChecksumSize], checksum);
        return checksum.SequenceEqual(record[^ChecksumSize..]);
    }

    private static void Checksum(ReadOnlySpan<byte> data, Span<byte> into)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        hash[..ChecksumSize].CopyTo(into);
    }
}
