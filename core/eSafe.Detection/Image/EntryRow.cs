using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>One entry's fixed part; its ID, phrase, context and exceptions are strings from <see cref="FirstString"/> on.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct EntryRow
{
    public const int Size = 8;

    /// <summary>ID, phrase and context: the strings every entry has before its exceptions.</summary>
    public const int FixedStrings = 3;

    public readonly int FirstString;
    public readonly byte Category;
    public readonly byte Severity;
    public readonly byte Language;
    public readonly byte ExceptionCount;

    public int StringCount => FixedStrings + ExceptionCount;
}
