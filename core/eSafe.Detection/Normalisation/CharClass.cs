namespace eSafe.Detection.Normalisation;

/// <summary>What a character is to the matcher.</summary>
public enum CharClass : byte
{
    /// <summary>Ends a word: spaces, punctuation, emoji.</summary>
    Separator,

    /// <summary>Part of a word: letters of any script and digits.</summary>
    Letter,

    /// <summary>Invisible to matching, even inside a word: zero-width, bidi controls, combining marks, soft hyphens.</summary>
    Ignorable,

    /// <summary>A symbol that stands for a letter when it touches one (<c>@ $ + | €</c>), else a separator.</summary>
    LeetSymbol,

    /// <summary><c>!</c> and the like: a letter only between two letters (<c>k!ll</c>), else punctuation.</summary>
    LeetInner,

    /// <summary>An apostrophe: dropped inside a word (<c>don't</c> = <c>dont</c>), a separator elsewhere.</summary>
    Apostrophe,
}
