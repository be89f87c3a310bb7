using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using eSafe.Detection.Compilation;

namespace eSafe.Detection.Image;

/// <summary>
/// Lays a compiled library out as its file's bytes (<see cref="ImageLayout"/>). Deterministic: the same
/// library and automaton give the same bytes.
/// </summary>
internal static class ImageWriter
{
    public static byte[] Write(string name, string version, IReadOnlyList<ThreatEntry> entries, DoubleArrayBuilder.Result automaton)
    {
        var languages = entries.Select(e => e.Language).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (languages.Length > byte.MaxValue || entries.Any(e => e.Exceptions.Count > byte.MaxValue))
        {
            throw new FormatException("the library has more languages or exceptions than its compiled form holds");
        }

        List<string> strings = [name, version, .. languages];
        foreach (var entry in entries)
        {
            strings.Add(entry.Id);
            strings.Add(entry.Phrase);
            strings.Add(entry.Context);
            strings.AddRange(entry.Exceptions);
        }

        var encoded = strings.Select(Encoding.UTF8.GetBytes).ToArray();
        var (starts, outputs) = Outputs(automaton);
        var counts = new ImageCounts(automaton.Base.Length, starts.Count - 1, outputs.Count, automaton.Alphabet.Length,
            automaton.Tails.Length, entries.Count, languages.Length, strings.Count, encoded.Sum(s => s.Length));
        var layout = new ImageLayout(counts);
        var file = new byte[layout.FileLength];
        "ESLB"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), LibraryFormat.FormatVersion);
        ImageLayout.WriteCounts(file, counts);

        var cells = Section<int>(file, layout.CellsAt, counts.States * 2);
        var bits = new ulong[OutputBlock.CountFor(counts.States)];
        for (var state = 0; state < counts.States; state++)
        {
            var hasOwnOutputs = automaton.Outputs.TryGetValue(state, out var here) && here.Any(o => !o.AtTailEnd);
            cells[2 * state] = automaton.Base[state] >= 0
                ? automaton.Base[state] | (hasOwnOutputs ? Cell.HasOutputs : 0)
                : throw new InvalidOperationException("the automaton has a negative base");
            cells[(2 * state) + 1] = automaton.Check[state];
            bits[state / 64] |= here is not null ? 1UL << (state % 64) : 0;
        }

        var rank = 0;
        for (var b = 0; b < bits.Length; b++)
        {
            var block = file.AsSpan((int)layout.BlocksAt + (b * OutputBlock.Size), OutputBlock.Size);
            BinaryPrimitives.WriteUInt64LittleEndian(block, bits[b]);
            BinaryPrimitives.WriteInt32LittleEndian(block[8..], rank);
            rank += System.Numerics.BitOperations.PopCount(bits[b]);
        }

        starts.ToArray().CopyTo(Section<int>(file, layout.OutputStartsAt, starts.Count));
        outputs.ToArray().CopyTo(Section<uint>(file, layout.OutputsAt, outputs.Count));
        automaton.Alphabet.CopyTo(Section<char>(file, layout.AlphabetAt, counts.AlphabetLength));
        automaton.Tails.CopyTo(Section<char>(file, layout.TailsAt, counts.TailChars));

        var rows = Section<byte>(file, layout.EntriesAt, counts.Entries * EntryRow.Size);
        var next = counts.FirstEntryString;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var row = rows.Slice(i * EntryRow.Size, EntryRow.Size);
            BinaryPrimitives.WriteInt32LittleEndian(row, next);
            row[4] = (byte)IndexOfCategory(entry.Category);
            row[5] = checked((byte)entry.Severity);
            row[6] = (byte)Array.IndexOf(languages, entry.Language);
            row[7] = (byte)entry.Exceptions.Count;
            next += EntryRow.FixedStrings + entry.Exceptions.Count;
        }

        var ends = Section<int>(file, layout.StringEndsAt, counts.Strings);
        var text = Section<byte>(file, layout.StringBytesAt, counts.StringBytes);
        var end = 0;
        for (var s = 0; s < encoded.Length; s++)
        {
            encoded[s].CopyTo(text[end..]);
            end += encoded[s].Length;
            ends[s] = end;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(layout.ChecksumAt), ImageChecksum.Of(file.AsSpan(0, layout.ChecksumAt)));
        return file;
    }

    // Each state's outputs in pattern order (those at the end of its tail last), states in order: a run of outputs per state.
    private static (List<int> Starts, List<uint> Outputs) Outputs(DoubleArrayBuilder.Result automaton)
    {
        List<int> starts = [0];
        List<uint> outputs = [];
        foreach (var (_, here) in automaton.Outputs)
        {
            outputs.AddRange(here.Select(o => OutputCode.Of(o.Entry, o.Options, o.Part, o.AtTailEnd)));
            starts.Add(outputs.Count);
        }

        return (starts, outputs);
    }

    private static Span<T> Section<T>(byte[] file, long at, int count) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(file.AsSpan((int)at, count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

    private static int IndexOfCategory(string category)
    {
        for (var i = 0; i < ThreatCategories.All.Count; i++)
        {
            if (ThreatCategories.All[i] == category)
            {
                return i;
            }
        }

        throw new FormatException($"unknown category '{category}'");
    }
}
