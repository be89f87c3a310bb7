using eSafe.Detection.Compilation;

namespace eSafe.Detection.Image;

/// <summary>An output in one 32-bit word: the entry it reports above, its pattern options in the low byte.</summary>
internal static class OutputCode
{
    private const int OptionBits = 8;

    public static uint Of(int entry, PatternOptions options) => ((uint)entry << OptionBits) | (byte)options;

    public static int Entry(uint code) => (int)(code >> OptionBits);

    public static PatternOptions Options(uint code) => (PatternOptions)(byte)code;

    /// <summary>Whether the code names one of <paramref name="entries"/> with known options.</summary>
    public static bool IsValid(uint code, int entries) =>
        Entry(code) < entries && ((byte)code & ~(byte)(PatternOptions.Exception | PatternOptions.Prefix)) == 0;
}
