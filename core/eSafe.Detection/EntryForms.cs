using eSafe.Detection.Compilation;
using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// What a hit of one entry is checked against after the scan: the written forms of each part of its phrase
/// (one part for a phrase without <c>~</c>), the links between the parts, its exceptions and its context.
/// </summary>
internal sealed class EntryForms
{
    public EntryForms(ThreatEntry entry)
    {
        Parts = [.. RuleSyntax.Parts(entry.Phrase).Select(part => PhraseForm.Of(part).ToArray())];
        Links = [.. RuleSyntax.Links(entry.Phrase)];
        Exceptions = [.. entry.Exceptions.SelectMany(PhraseForm.Of)];
        Context = [.. ContextSyntax.Clauses(entry.Context).Select(c => new ContextForms(c.Required, c.Window, [.. c.Phrases.SelectMany(PhraseForm.Of)]))];
    }

    /// <summary>The forms of each part, in order.</summary>
    public PhraseForm[][] Parts { get; }

    /// <summary>How each part after the first must lie from the one before it.</summary>
    public RuleSyntax.Link[] Links { get; }

    public PhraseForm[] Exceptions { get; }

    public ContextForms[] Context { get; }

    /// <summary>Whether one of <paramref name="forms"/> is symbols <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static bool AnyFits(PhraseForm[] forms, Skeleton skeleton, int start, int end)
    {
        foreach (var form in forms)
        {
            if (form.Fits(skeleton, start, end))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a hit from symbol <paramref name="start"/> to <paramref name="end"/> keeps to the context: no
    /// <c>unless</c> phrase and, for each <c>with</c>, one of its phrases, starting within its window of words.
    /// </summary>
    public bool ContextAllows(Skeleton skeleton, int start, int end)
    {
        if (Context.Length == 0)
        {
            return true;
        }

        var first = skeleton.WordOf(start);
        var last = skeleton.WordOf(end - 1);
        foreach (var clause in Context)
        {
            if (clause.FoundNear(skeleton, first, last) != clause.Required)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One clause of a context, its phrases as forms.</summary>
    internal sealed record ContextForms(bool Required, int Window, PhraseForm[] Forms)
    {
        // Whether one of the phrases starts from Window words before the first word to Window words after the last.
        public bool FoundNear(Skeleton skeleton, int first, int last)
        {
            var to = Math.Min(skeleton.WordCount - 1, last + Window);
            for (var word = Math.Max(0, first - Window); word <= to; word++)
            {
                var at = skeleton.WordStartOf(word);
                foreach (var form in Forms)
                {
                    if (form.FitsAt(skeleton, at, out _))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
