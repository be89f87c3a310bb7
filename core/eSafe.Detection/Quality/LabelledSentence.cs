namespace eSafe.Detection.Quality;

/// <summary>
/// A sentence with what it should be found as: a category of <see cref="ThreatCategories"/>, or
/// <see cref="Benign"/> for one that must not hit.
/// </summary>
public sealed record LabelledSentence(string Label, string Text)
{
    public const string Benign = "benign";

    public bool IsPositive => Label != Benign;

    public static bool IsKnownLabel(string label) => label == Benign || ThreatCategories.IsKnown(label);
}
