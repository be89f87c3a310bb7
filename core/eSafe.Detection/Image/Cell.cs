using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>
/// One state of the double-array automaton, base and check side by side so that a transition reads one
/// cache line. The sign bit of <see cref="Base"/> marks a state that reports outputs on arrival, the next bit
/// a state whose only way on is a tail (the rest of its base then says where the tail lies).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct Cell
{
    public const int Size = 8;
    public const int HasOutputs = int.MinValue;
    public const int HasTail = Compilation.DoubleArrayBuilder.TailFlag;
    public const int Marks = HasOutputs | HasTail;
    public const int BaseMask = ~Marks;

    public readonly int Base;
    public readonly int Check;
}
