using eSafe.Detection.Compilation;
using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// Checks a library's raw hits against the written forms of their entry's phrase (or exception): the
/// automaton counts doubled letters once, so "shot" reaches "shoot" and "we'd" reaches "weed" there, and
/// only here are they told apart. Hits are rare, so the forms are worked out on an entry's first hit and kept.
/// </summary>
internal sealed class HitVerifier(IReadOnlyList<ThreatEntry> entries)
{
    private readonly PhraseForm[]?[] _phraseForms = new PhraseForm[]?[entries.Count];
    private readonly PhraseForm[]?[] _exceptionForms = new PhraseForm[]?[entries.Count];

    public bool Accepts(RawHit hit, bool exception, Skeleton skeleton)
    {
        // Two threads may both work out an entry's forms: the same immutable result either way.
        var forms = exception
            ? _exceptionForms[hit.Entry] ??= [.. entries[hit.Entry].Exceptions.SelectMany(PhraseForm.Of)]
            : _phraseForms[hit.Entry] ??= [.. PhraseForm.Of(entries[hit.Entry].Phrase)];
        foreach (var form in forms)
        {
            if (form.Fits(skeleton, hit.Start, hit.End))
            {
                return true;
            }
        }

        return false;
    }
}
