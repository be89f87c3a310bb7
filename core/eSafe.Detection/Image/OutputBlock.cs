using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>
/// 64 states' worth of the sparse output index: a bit for each state that has outputs, and how many
/// states before the block have them, so a state's outputs are found by one popcount.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct OutputBlock
{
    public const int Size = 16;

    public readonly ulong Bits;
    public readonly int Rank;
    public readonly int Unused;

    public static int CountFor(int states) => (int)(((long)states + 63) / 64);
}
