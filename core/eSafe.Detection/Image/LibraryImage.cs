using System.Runtime.InteropServices;
using System.Text;

namespace eSafe.Detection.Image;

/// <summary>
/// A compiled library's bytes, as written to its file, viewed in place: the automaton, the output index
/// and the entries are read where they lie, nothing is copied out.
/// </summary>
internal sealed class LibraryImage(byte[] bytes, ImageLayout layout)
{
    public byte[] Bytes { get; } = bytes;

    public ImageLayout Layout { get; } = layout;

    public ImageCounts Counts => Layout.Counts;

    public ReadOnlySpan<Cell> Cells => View<Cell>(Layout.CellsAt, Counts.States);

    public ReadOnlySpan<OutputBlock> Blocks => View<OutputBlock>(Layout.BlocksAt, OutputBlock.CountFor(Counts.States));

    /// <summary>The n-th state with outputs has those from <c>OutputStarts[n]</c> up to <c>OutputStarts[n + 1]</c>.</summary>
    public ReadOnlySpan<int> OutputStarts => View<int>(Layout.OutputStartsAt, Counts.OutputStates + 1);

    public ReadOnlySpan<uint> Outputs => View<uint>(Layout.OutputsAt, Counts.Outputs);

    public ReadOnlySpan<char> Alphabet => View<char>(Layout.AlphabetAt, Counts.AlphabetLength);

    /// <summary>Each tail: its length, then its letters.</summary>
    public ReadOnlySpan<char> Tails => View<char>(Layout.TailsAt, Counts.TailChars);

    public ReadOnlySpan<EntryRow> Entries => View<EntryRow>(Layout.EntriesAt, Counts.Entries);

    /// <summary>Where each string ends in the string bytes; it starts where the one before ends.</summary>
    public ReadOnlySpan<int> StringEnds => View<int>(Layout.StringEndsAt, Counts.Strings);

    public ReadOnlySpan<byte> StringBytes(int index)
    {
        var ends = StringEnds;
        var start = index == 0 ? 0 : ends[index - 1];
        return Bytes.AsSpan((int)Layout.StringBytesAt + start, ends[index] - start);
    }

    public string String(int index) => Encoding.UTF8.GetString(StringBytes(index));

    private ReadOnlySpan<T> View<T>(long at, int count) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(Bytes.AsSpan((int)at, count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
}
