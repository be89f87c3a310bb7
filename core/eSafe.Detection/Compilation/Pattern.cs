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
public readonly record struct Pattern(string Skeleton, int Entry, PatternOptions Flags);
