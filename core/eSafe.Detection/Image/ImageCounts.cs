namespace eSafe.Detection.Image;

/// <summary>
/// How many of each thing an image holds. Strings: the library's name, its version, its languages, then
/// each entry's ID, phrase, context and exceptions.
/// </summary>
internal readonly record struct ImageCounts(int States, int OutputStates, int Outputs, int AlphabetLength, int TailChars,
    int Entries, int Languages, int Strings, int StringBytes)
{
    public int FirstEntryString => 2 + Languages;

    /// <summary>Why these counts cannot describe a library, or null.</summary>
    public string? Problem() =>
        States < 1 || OutputStates < 0 || Outputs < 0 || AlphabetLength < 0 || TailChars < 0 || Languages < 0 || Strings < 0 || StringBytes < 0
            ? "the compiled library's header holds a negative count"
            : Entries is < 0 or > ThreatLibrary.MaxEntries ? $"the compiled library claims {Entries} entries"
            : AlphabetLength >= ushort.MaxValue ? $"the compiled library claims {AlphabetLength} letters"
            : Languages > byte.MaxValue ? $"the compiled library claims {Languages} languages"
            : null;
}
