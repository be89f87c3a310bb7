using System.Buffers.Binary;

namespace eSafe.Detection.Image;

/// <summary>
/// Where each part of a compiled library's image lies, worked out from the counts in its header alone:
/// the parts follow one another, each at an offset that is a multiple of 8, so they can be viewed in place.
/// </summary>
internal sealed class ImageLayout
{
    public const int MagicAndFormatSize = 8;
    public const int HeaderSize = 48;
    public const int ChecksumSize = 8;

    public ImageLayout(ImageCounts counts)
    {
        Counts = counts;
        long at = HeaderSize;
        CellsAt = Take(ref at, (long)counts.States * Cell.Size);
        BlocksAt = Take(ref at, (long)OutputBlock.CountFor(counts.States) * OutputBlock.Size);
        OutputStartsAt = Take(ref at, ((long)counts.OutputStates + 1) * sizeof(int));
        OutputsAt = Take(ref at, (long)counts.Outputs * sizeof(uint));
        AlphabetAt = Take(ref at, (long)counts.AlphabetLength * sizeof(char));
        TailsAt = Take(ref at, (long)counts.TailChars * sizeof(char));
        EntriesAt = Take(ref at, (long)counts.Entries * EntryRow.Size);
        StringEndsAt = Take(ref at, (long)counts.Strings * sizeof(int));
        StringBytesAt = Take(ref at, counts.StringBytes);
        if (at + ChecksumSize > Array.MaxLength)
        {
            throw new InvalidDataException("the compiled library claims more than a file can hold");
        }

        ChecksumAt = (int)at;
    }

    public ImageCounts Counts { get; }

    public long CellsAt { get; }

    public long BlocksAt { get; }

    public long OutputStartsAt { get; }

    public long OutputsAt { get; }

    public long AlphabetAt { get; }

    public long TailsAt { get; }

    public long EntriesAt { get; }

    public long StringEndsAt { get; }

    public long StringBytesAt { get; }

    /// <summary>Also the length of the body, which the checksum covers.</summary>
    public int ChecksumAt { get; }

    public int FileLength => ChecksumAt + ChecksumSize;

    public static ImageCounts ReadCounts(ReadOnlySpan<byte> header) => new(
        Int(header, 8), Int(header, 12), Int(header, 16), Int(header, 20),
        Int(header, 40), Int(header, 24), Int(header, 28), Int(header, 32), Int(header, 36));

    public static void WriteCounts(Span<byte> header, ImageCounts counts)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], counts.States);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], counts.OutputStates);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], counts.Outputs);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], counts.AlphabetLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], counts.Entries);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], counts.Languages);
        BinaryPrimitives.WriteInt32LittleEndian(header[32..], counts.Strings);
        BinaryPrimitives.WriteInt32LittleEndian(header[36..], counts.StringBytes);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], counts.TailChars);
    }

    private static int Int(ReadOnlySpan<byte> header, int at) => BinaryPrimitives.ReadInt32LittleEndian(header[at..]);

    // Counts are checked non-negative before a layout is made; sizes add up in 64 bits, so nothing wraps.
    private static long Take(ref long at, long size)
    {
        var start = at;
        at = (at + size + 7) & ~7L;
        return start;
    }
}
