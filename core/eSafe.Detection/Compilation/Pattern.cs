namespace eSafe.Detection.Compilation;

[Flags]
public enum PatternOptions : byte
{
    None = 0,

    /// <summary>Cancels hits of its entry that lie inside it.</summary>
    Exception = 1,

    /// <summary>Need not end a word (the phrase's last word had <c>*</c>).</summary>
    Prefix = 2,
}

/// <summary>One skeleton string the automaton looks for, and the entry it reports.</summary>
/// <param name="Part">0 for a whole phrase (or an exception); for a phrase of parts joined by <c>~</c>, which part (from 1).</param>
public readonly record struct Pattern(string Skeleton, int Entry, PatternOptions Flags, int Part = 0);
