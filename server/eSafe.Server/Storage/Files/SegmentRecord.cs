using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace eSafe.Server.Storage.Files;

/// <summary>
/// One screenshot in a segment file:
/// <c>"eSS1" | state (1 live, 0 erased) | ID length (1) | ciphertext length (4, little-endian) | ID (UTF-8) | ciphertext | checksum (8)</c>.
/// The checksum is the first 8 bytes of SHA-256 over everything before it (state 1): a record half-written when the machine
/// stopped does not pass, so a torn tail is told from a record. Erasing zeroes the ID, the ciphertext and the checksum and
/// sets the state to 0; the lengths stay, so the records after it can still be found.
/// </summary>
internal static class SegmentRecord
{
    public const int HeaderSize = 10;
    public const int ChecksumSize = 8;
    private const byte Live = 1;
    private const byte Erased = 0;
    private static ReadOnlySpan<byte> Magic => "eSS1"u8;

    /// <summary>The whole record for an incident's ciphertext.</summary>
    public static byte[] Make(string incidentId, ReadOnlySpan<byte> blob)
    {
        var idLength = Encoding.UTF8.GetByteCount(incidentId);
        if (idLength is 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"An incident ID of {idLength} bytes cannot be framed.", nameof(incidentId));
        }

        var record = new byte[HeaderSize + idLength + blob.Length + ChecksumSize];
        Magic.CopyTo(record);
        record[4] = Live;
        record[5] = (byte)idLength;
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(6), blob.Length);
        Encoding.UTF8.GetBytes(incidentId, record.AsSpan(HeaderSize));
        blob.CopyTo(record.AsSpan(HeaderSize + idLength));
        Checksum(record.AsSpan(0, record.Length - ChecksumSize), record.AsSpan(record.Length - ChecksumSize));
        return record;
    }

    /// <summary>The whole record's size from its header; null when the header is not one.</summary>
    public static int? SizeOf(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic) || header[4] is not (Live or Erased) || header[5] == 0)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[6..]);
        return length < 0 ? null : HeaderSize + header[5] + length + ChecksumSize;
    }

    /// <summary>The ciphertext of a whole record; null when it was erased; <see cref="InvalidDataException"/> when it is not intact or not the incident's.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> record, string incidentId, int length)
    {
        if (SizeOf(record) != record.Length || BinaryPrimitives.ReadInt32LittleEndian(record[6..]) != length)
        {
            throw new InvalidDataException("The screenshot file does not hold a record where the database says.");
        }

        if (record[4] == Erased)
        {
            return null;
        }

        Span<byte> checksum = stackalloc byte[ChecksumSize];
        Checksum(record[..^ChecksumSize], checksum);
        if (!checksum.SequenceEqual(record[^ChecksumSize..]) || Encoding.UTF8.GetString(record.Slice(HeaderSize, record[5])) != incidentId)
        {
            throw new InvalidDataException($"The screenshot record of incident {incidentId} is damaged or belongs to another incident.");
        }

        return record.Slice(HeaderSize + record[5], length).ToArray();
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
        RandomAccess.Write(file, new byte[size - HeaderSize], offset + HeaderSize);
    }

    /// <summary>The records of a segment from its start, live or erased, up to the first that is not whole and intact (a torn tail, ignored).</summary>
    public static IEnumerable<(long Offset, string? IncidentId, int Length)> Scan(SafeFileHandle file)
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
            var length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(6));
            string? id = null;
            if (record[4] == Live)
            {
                Span<byte> checksum = stackalloc byte[ChecksumSize];
                Checksum(record.AsSpan(0, size - ChecksumSize), checksum);
                if (!checksum.SequenceEqual(record.AsSpan(size - ChecksumSize)))
                {
                    yield break;
                }

                id = Encoding.UTF8.GetString(record, HeaderSize, record[5]);
            }

            yield return (offset, id, length);
            offset += size;
        }
    }

    private static void Checksum(ReadOnlySpan<byte> data, Span<byte> into)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        hash[..ChecksumSize].CopyTo(into);
    }
}
