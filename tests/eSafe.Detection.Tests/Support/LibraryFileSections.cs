using System.Buffers.Binary;

namespace eSafe.Detection.Tests.Support;

/// <summary>
/// Where each part of a compiled library file lies, worked out from its header as docs/THREAT-LIBRARY.md
/// describes the format, so that tests can damage one part on purpose.
/// </summary>
internal sealed class LibraryFileSections
{
    public const int StatesAt = 8;
    public const int OutputStatesAt = 12;
    public const int OutputsCountAt = 16;
    public const int EntriesCountAt = 24;
    public const int HeaderSize = 48;

    public LibraryFileSections(byte[] file)
    {
        States = Int(file, StatesAt);
        OutputStates = Int(file, OutputStatesAt);
        Outputs = Int(file, OutputsCountAt);
        Entries = Int(file, EntriesCountAt);
        Strings = Int(file, 32);
        TailChars = Int(file, 40);
        var at = HeaderSize;
        CellsAt = Take(ref at, States * 8);
        BlocksAt = Take(ref at, ((States + 63) / 64) * 16);
        OutputStartsAt = Take(ref at, (OutputStates + 1) * 4);
        OutputsAt = Take(ref at, Outputs * 4);
        Take(ref at, Int(file, 20) * 2);
        TailsAt = Take(ref at, TailChars * 2);
        EntryRowsAt = Take(ref at, Entries * 8);
        StringEndsAt = Take(ref at, Strings * 4);
    }

    public int States { get; }

    public int OutputStates { get; }

    public int Outputs { get; }

    public int Entries { get; }

    public int Strings { get; }

    public int TailChars { get; }

    /// <summary>8 bytes a state: base (its sign bit set when the state has outputs, the next when it has a tail), then check.</summary>
    public int CellsAt { get; }

    /// <summary>16 bytes for each 64 states: a bit a state with outputs, then how many states before have them.</summary>
    public int BlocksAt { get; }

    public int OutputStartsAt { get; }

    /// <summary>4 bytes an output: entry index above, pattern options (and 0x80: at the tail's end) in the low byte.</summary>
    public int OutputsAt { get; }

    /// <summary>Each tail: its length, then its letters (2 bytes each).</summary>
    public int TailsAt { get; }

    /// <summary>8 bytes an entry: first string, category, severity, language, exception count.</summary>
    public int EntryRowsAt { get; }

    public int StringEndsAt { get; }

    public static int Int(byte[] file, int at) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));

    public static void SetInt(byte[] file, int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), value);

    private static int Take(ref int at, int size)
    {
        var start = at;
        at = (at + size + 7) & ~7;
        return start;
    }
}
