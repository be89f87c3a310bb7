using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>
/// One state of the double-array automaton, base and check side by side so that a transition reads one
/// cache line. The sign bit of <see cref="Base"/> marks a state that reports outputs (bases are never negative).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct Cell
{
    public const int Size = 8;
    public const int HasOutputs = int.MinValue;
    public const int BaseMask = int.MaxValue;

    public readonly int Base;
    public readonly int Check;
}
