using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>One entry's fixed part; its ID, phrase and exceptions are strings from <see cref="FirstString"/> on.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct EntryRow
{
    public const int Size = 8;

    public readonly int FirstString;
    public readonly byte Category;
    public readonly byte Severity;
    public readonly byte Language;
    public readonly byte ExceptionCount;

    public int StringCount => 2 + ExceptionCount;
}
