using System.Numerics;
using System.Runtime.CompilerServices;

namespace eSafe.Detection.Image;

/// <summary>
/// What must hold in an image, beyond its checksum, before a scan may trust it: every output run lies
/// inside the outputs and names an entry, every entry's strings lie inside the string bytes. One pass over
/// the outputs and entries, none over the states: a scan checks each transition's bounds as it goes.
/// </summary>
internal static class ImageChecks
{
    // These run once, at start-up, over every output and entry: compiled optimised at once rather than tiered up.
    public static string? Problem(LibraryImage image) => OutputProblem(image) ?? EntryProblem(image);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? OutputProblem(LibraryImage image)
    {
        var counts = image.Counts;
        var blocks = image.Blocks;
        var rank = 0;
        foreach (var block in blocks)
        {
            if (block.Rank != rank)
            {
                return "the compiled library's automaton is inconsistent: its output index does not add up";
            }

            rank += BitOperations.PopCount(block.Bits);
        }

        var tail = counts.States % 64;
        if (rank != counts.OutputStates || (tail != 0 && blocks[^1].Bits >> tail != 0))
        {
            return "the compiled library's automaton is inconsistent: its output index does not add up";
        }

        var starts = image.OutputStarts;
        if (starts[0] != 0 || starts[^1] != counts.Outputs)
        {
            return "the compiled library's automaton is inconsistent: its outputs do not add up";
        }

        for (var i = 1; i < starts.Length; i++)
        {
            if (starts[i] < starts[i - 1])
            {
                return "the compiled library's automaton is inconsistent: its outputs do not add up";
            }
        }

        foreach (var output in image.Outputs)
        {
            if (!OutputCode.IsValid(output, counts.Entries))
            {
                return $"the compiled library's automaton is inconsistent: an output names entry {OutputCode.Entry(output)} of {counts.Entries}";
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? EntryProblem(LibraryImage image)
    {
        var counts = image.Counts;
        var next = counts.FirstEntryString;
        foreach (var row in image.Entries)
        {
            if (row.FirstString != next || row.Category >= ThreatCategories.All.Count || row.Language >= counts.Languages
                || row.Severity is < ThreatEntry.MinSeverity or > ThreatEntry.MaxSeverity)
            {
                return "the compiled library's entries are inconsistent";
            }

            next += row.StringCount;
        }

        if (next != counts.Strings)
        {
            return "the compiled library's entries are inconsistent";
        }

        var end = 0;
        foreach (var stringEnd in image.StringEnds)
        {
            if (stringEnd < end)
            {
                return "the compiled library's strings are inconsistent";
            }

            end = stringEnd;
        }

        return end == counts.StringBytes ? null : "the compiled library's strings are inconsistent";
    }
}
