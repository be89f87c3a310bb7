using eSafe.Detection.Compilation;
using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// A library ready to scan with: its entries and its double-array automaton over skeleton text.
/// Made by <see cref="Compile"/>, or loaded from the binary form (<see cref="LibraryFormat"/>).
/// </summary>
public sealed class CompiledLibrary
{
    private readonly ushort[] _codes;
    private readonly int[] _base;
    private readonly int[] _check;
    private readonly int[] _outputHead;
    private readonly int[] _outputEntry;
    private readonly byte[] _outputOptions;
    private readonly int[] _outputNext;

    internal CompiledLibrary(string name, string version, IReadOnlyList<ThreatEntry> entries, DoubleArrayBuilder.Result automaton)
    {
        Name = name;
        Version = version;
        Entries = entries;
        Automaton = automaton;
        _codes = automaton.Codes;
        _base = automaton.Base;
        _check = automaton.Check;
        _outputHead = automaton.OutputHead;
        _outputEntry = automaton.OutputEntry;
        _outputOptions = automaton.OutputFlags;
        _outputNext = automaton.OutputNext;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>In order of ID; hits name them by index.</summary>
    public IReadOnlyList<ThreatEntry> Entries { get; }

    internal DoubleArrayBuilder.Result Automaton { get; }

    /// <summary>How many states the automaton has.</summary>
    public int StateCount => _base.Length;

    public static CompiledLibrary Compile(ThreatLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        return new CompiledLibrary(library.Name, library.Version, library.Entries,
            DoubleArrayBuilder.Build(PatternSet.Of(library.Entries)));
    }

    /// <summary>
    /// Adds every hit and exception of this library in <paramref name="skeleton"/> to the lists
    /// (created on the first one, so a text with none allocates nothing).
    /// </summary>
    internal void Scan(Skeleton skeleton, ref List<RawHit>? hits, ref List<RawHit>? exceptions)
    {
        var symbols = skeleton.Symbols;
        var wordStarts = skeleton.WordStarts;
        var codes = _codes;
        var bases = _base;
        var checks = _check;
        for (var start = 0; start < symbols.Length; start++)
        {
            if (!wordStarts[start])
            {
                continue;
            }

            var state = 0;
            for (var at = start; at < symbols.Length; at++)
            {
                var code = codes[symbols[at]];
                if (code == 0)
                {
                    break;
                }

                var next = bases[state] + code;
                if ((uint)next >= (uint)checks.Length || checks[next] != state)
                {
                    break;
                }

                state = next;
                for (var output = _outputHead[state]; output >= 0; output = _outputNext[output])
                {
                    var options = (PatternOptions)_outputOptions[output];
                    var end = at + 1;
                    if ((options & PatternOptions.Prefix) == 0 && !wordStarts[end])
                    {
                        continue;
                    }

                    // A prefix (paedo*) hits the whole word it starts (paedophile).
                    while (!wordStarts[end])
                    {
                        end++;
                    }

                    var hit = new RawHit(_outputEntry[output], start, end);
                    if ((options & PatternOptions.Exception) != 0)
                    {
                        (exceptions ??= []).Add(hit);
                    }
                    else
                    {
                        (hits ??= []).Add(hit);
                    }
                }
            }
        }
    }
}

/// <summary>A hit in skeleton positions, before exceptions are applied.</summary>
internal readonly record struct RawHit(int Entry, int Start, int End);
