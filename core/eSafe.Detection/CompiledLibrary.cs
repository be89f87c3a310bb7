using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using eSafe.Detection.Compilation;
using eSafe.Detection.Image;
using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// A library ready to scan with: its entries and its double-array automaton over skeleton text, both
/// viewed in place in the library's binary form (<see cref="LibraryFormat"/>).
/// Made by <see cref="Compile"/>, or loaded by <see cref="LibraryFormat.Read(byte[])"/>.
/// </summary>
public sealed class CompiledLibrary
{
    private readonly ushort[] _codes;

    internal CompiledLibrary(LibraryImage image, IReadOnlyList<ThreatEntry>? entries = null)
    {
        Image = image;
        Name = image.String(0);
        Version = image.String(1);
        Entries = entries ?? new StoredEntries(image);
        _codes = new ushort[65536];
        var alphabet = image.Alphabet;
        for (var i = 0; i < alphabet.Length; i++)
        {
            _codes[alphabet[i]] = (ushort)(i + 1);
        }

        // The skeleton keeps each symbol's real letter; the automaton's symbol for l, 1, ! and | is i
        // (SkeletonTable.Symbol), so they take i's code here and the scan needs no folding of its own.
        _codes['l'] = _codes[SkeletonTable.IOrLWrittenOne] = _codes[SkeletonTable.IOrLWrittenBar] = _codes['i'];
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>In order of ID; hits name them by index.</summary>
    public IReadOnlyList<ThreatEntry> Entries { get; }

    internal LibraryImage Image { get; }

    /// <summary>How many states the automaton has.</summary>
    public int StateCount => Image.Counts.States;

    public static CompiledLibrary Compile(ThreatLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var automaton = DoubleArrayBuilder.Build(PatternSet.Of(library.Entries));
        var bytes = ImageWriter.Write(library.Name, library.Version, library.Entries, automaton);
        return new CompiledLibrary(new LibraryImage(bytes, new ImageLayout(ImageLayout.ReadCounts(bytes))), library.Entries);
    }

    /// <summary>For each entry, whether its ID is one of <paramref name="ids"/> (without making every entry of a loaded library).</summary>
    internal bool[] EntriesWithIds(HashSet<string> ids) =>
        Entries is StoredEntries stored ? stored.WithIds(ids) : [.. Entries.Select(e => ids.Contains(e.Id))];

    /// <summary>
    /// Adds every hit and exception of this library in <paramref name="skeleton"/> to the lists
    /// (the caller's, reused between scans, so a text with none allocates nothing).
    /// </summary>
    internal void Scan(Skeleton skeleton, List<RawHit> hits, List<RawHit> exceptions)
    {
        var letters = skeleton.LetterRuns;
        var wordStarts = skeleton.WordStarts;
        var codes = _codes;
        var cells = Image.Cells;
        var rootBase = cells[0].Base & Cell.BaseMask;
        for (var start = 0; start < letters.Length; start++)
        {
            if (!wordStarts[start])
            {
                continue;
            }

            var state = 0;
            var stateBase = rootBase;
            for (var at = start; at < letters.Length; at++)
            {
                // The letter is the low 16 bits: within the 65,536 codes, so no bounds check is needed.
                var code = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(codes), (ushort)letters[at]);
                if (code == 0)
                {
                    break;
                }

                var next = stateBase + code;
                if ((uint)next >= (uint)cells.Length)
                {
                    break;
                }

                var cell = cells[next];
                if (cell.Check != state)
                {
                    break;
                }

                state = next;
                stateBase = cell.Base & Cell.BaseMask;
                if ((cell.Base & Cell.Marks) != 0 && Arrive(cell.Base, state, start, at + 1, letters, wordStarts, hits, exceptions))
                {
                    break;
                }
            }
        }
    }

    // A marked state: report its outputs; if the only way on is its tail, follow the tail letter by letter
    // (as the transitions it stands for would) and report the tail's outputs. True when the walk ends here.
    private bool Arrive(int cellBase, int state, int start, int end, ReadOnlySpan<int> letters, ReadOnlySpan<bool> wordStarts,
        List<RawHit> hits, List<RawHit> exceptions)
    {
        if (cellBase < 0)
        {
            Report(state, start, end, atTailEnd: false, wordStarts, hits, exceptions);
        }

        if ((cellBase & Cell.HasTail) == 0)
        {
            return false;
        }

        var tails = Image.Tails;
        var at = cellBase & Cell.BaseMask;
        if ((uint)at < (uint)tails.Length && tails[at] <= tails.Length - at - 1 && tails[at] <= letters.Length - end
            && TailFits(letters.Slice(end, tails[at]), tails.Slice(at + 1, tails[at])))
        {
            Report(state, start, end + tails[at], atTailEnd: true, wordStarts, hits, exceptions);
        }

        return true;
    }

    // Whether the letters are the tail's symbols (l, 1, ! and | being i to the automaton).
    private static bool TailFits(ReadOnlySpan<int> letters, ReadOnlySpan<char> tail)
    {
        for (var k = 0; k < tail.Length; k++)
        {
            if (SkeletonTable.Symbol((char)letters[k]) != tail[k])
            {
                return false;
            }
        }

        return true;
    }

    // The state's run of outputs, found through the sparse output index; a state the index does not list has none.
    private void Report(int state, int start, int end, bool atTailEnd, ReadOnlySpan<bool> wordStarts, List<RawHit> hits, List<RawHit> exceptions)
    {
        var block = Image.Blocks[state / 64];
        var bit = 1UL << (state % 64);
        if ((block.Bits & bit) == 0)
        {
            return;
        }

        var run = block.Rank + BitOperations.PopCount(block.Bits & (bit - 1));
        var starts = Image.OutputStarts;
        var outputs = Image.Outputs[starts[run]..starts[run + 1]];
        foreach (var output in outputs)
        {
            if (OutputCode.AtTailEnd(output) != atTailEnd)
            {
                continue;
            }

            var options = OutputCode.Options(output);
            var hitEnd = end;
            if ((options & PatternOptions.Prefix) == 0 && !wordStarts[hitEnd])
            {
                continue;
            }

            // A prefix (paedo*) hits the whole word it starts (paedophile).
            while (!wordStarts[hitEnd])
            {
                hitEnd++;
            }

            var hit = new RawHit(OutputCode.Entry(output), start, hitEnd, OutputCode.Part(output));
            if ((options & PatternOptions.Exception) != 0)
            {
                exceptions.Add(hit);
            }
            else
            {
                hits.Add(hit);
            }
        }
    }
}

/// <summary>A hit in skeleton positions, before exceptions are applied; <paramref name="Part"/> is 0 for a whole phrase, else which part of a phrase of parts.</summary>
internal readonly record struct RawHit(int Entry, int Start, int End, int Part = 0);
