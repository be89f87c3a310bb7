using System.Text;
using eSafe.Detection.Normalisation;

namespace eSafe.Detection.Tests.Support;

/// <summary>Builds the small libraries the tests scan with, in code, independent of the default library's content.</summary>
internal static class TestLibraries
{
    public static CompiledLibrary Compile(string name, string version, params ThreatEntry[] entries) =>
        CompiledLibrary.Compile(new ThreatLibrary(name, version, entries));

    public static ThreatMatcher Matcher(params ThreatEntry[] entries) => new(Compile("test", "1", entries));

    /// <summary>A hit as (entry ID, start, length): easy to compare and to read in a failure.</summary>
    public static (string Id, int Start, int Length) Key(ThreatMatch match) => (match.Entry.Id, match.Start, match.Length);

    /// <summary>
    /// A skeleton written out: its letters (1 and ! as '!', | as '|'), with a space before every word start but the first (an apostrophe
    /// before one that follows an apostrophe inside a word).
    /// </summary>
    public static string Render(Skeleton skeleton)
    {
        var text = new StringBuilder();
        for (var i = 0; i < skeleton.Length; i++)
        {
            if (i > 0 && skeleton.WordStarts[i])
            {
                text.Append(skeleton.IsAfterApostrophe(i) ? '\'' : ' ');
            }

            text.Append(skeleton.LetterAt(i));
        }

        return text.ToString();
    }

    /// <summary>Invisible characters shown as <c>&lt;U+XXXX&gt;</c>, so that a test name or message can be read.</summary>
    public static string Visible(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text)
        {
            if (SkeletonTable.Class(c) == CharClass.Ignorable || char.IsControl(c))
            {
                shown.Append($"<U+{(int)c:X4}>");
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }
}
