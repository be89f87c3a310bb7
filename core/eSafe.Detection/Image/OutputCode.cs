using eSafe.Detection.Compilation;

namespace eSafe.Detection.Image;

/// <summary>
/// An output in one 32-bit word: the entry it reports above; in the low byte its pattern options (bits 0
/// and 1), which part of a phrase of parts it is (bits 2 to 5; 0 for a whole phrase), and a bit for an output
/// reported at the end of its state's tail rather than at the state itself.
/// </summary>
internal static class OutputCode
{
    private const int OptionBits = 8;
    private const byte TailEndBit = 0x80;
    private const int PartShift = 2;
    private const byte PartBits = 0x0F << PartShift;
    private const byte OptionMask = (byte)(PatternOptions.Exception | PatternOptions.Prefix);
    private const byte KnownBits = OptionMask | PartBits | TailEndBit;

    public static uint Of(int entry, PatternOptions options, int part, bool atTailEnd) =>
        ((uint)entry << OptionBits) | (byte)options | (uint)(part << PartShift) | (atTailEnd ? TailEndBit : 0u);

    public static bool AtTailEnd(uint code) => ((byte)code & TailEndBit) != 0;

    public static int Entry(uint code) => (int)(code >> OptionBits);

    public static PatternOptions Options(uint code) => (PatternOptions)((byte)code & OptionMask);

    public static int Part(uint code) => ((byte)code & PartBits) >> PartShift;

    /// <summary>Whether the code names one of <paramref name="entries"/> with known options and a part no higher than rules have.</summary>
    public static bool IsValid(uint code, int entries) =>
        Entry(code) < entries && ((byte)code & ~KnownBits) == 0 && Part(code) <= RuleSyntax.MaxParts;
}
