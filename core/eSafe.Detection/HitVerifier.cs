using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// Checks a library's raw hits against the written forms of their entry's phrase, part or exception: the
/// automaton counts doubled letters once, so "shot" reaches "shoot" and "we'd" reaches "weed" there, and
/// only here are they told apart. Hits are rare, so an entry's forms are worked out on its first hit and kept.
/// </summary>
internal sealed class HitVerifier(IReadOnlyList<ThreatEntry> entries)
{
    private readonly EntryForms?[] _forms = new EntryForms?[entries.Count];

    // Two threads may both work out an entry's forms: the same immutable result either way.
    public EntryForms FormsOf(int entry) => _forms[entry] ??= new EntryForms(entries[entry]);

    public bool Accepts(RawHit hit, bool exception, Skeleton skeleton)
    {
        var forms = FormsOf(hit.Entry);
        return EntryForms.AnyFits(exception ? forms.Exceptions : forms.Parts[Math.Max(0, hit.Part - 1)], skeleton, hit.Start, hit.End);
    }
}
