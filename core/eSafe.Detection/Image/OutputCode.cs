using eSafe.Detection.Compilation;

namespace eSafe.Detection.Image;

/// <summary>
/// An output in one 32-bit word: the entry it reports above; in the low byte its pattern options, and a bit
/// for an output reported at the end of its state's tail rather than at the state itself.
/// </summary>
internal static class OutputCode
{
    private const int OptionBits = 8;
    private const byte TailEndBit = 0x80;
    private const byte KnownBits = (byte)(PatternOptions.Exception | PatternOptions.Prefix) | TailEndBit;

    public static uint Of(int entry, PatternOptions options, bool atTailEnd) =>
        ((uint)entry << OptionBits) | (byte)options | (atTailEnd ? TailEndBit : 0u);

    public static bool AtTailEnd(uint code) => ((byte)code & TailEndBit) != 0;

    public static int Entry(uint code) => (int)(code >> OptionBits);

    public static PatternOptions Options(uint code) => (PatternOptions)((byte)code & ~TailEndBit);

    /// <summary>Whether the code names one of <paramref name="entries"/> with known options.</summary>
    public static bool IsValid(uint code, int entries) =>
        Entry(code) < entries && ((byte)code & ~KnownBits) == 0;
}
