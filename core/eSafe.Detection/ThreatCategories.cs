namespace eSafe.Detection;

/// <summary>The categories a school is told to expect from a monitoring provider, as they appear on the wire.</summary>
public static class ThreatCategories
{
    public const string IllegalContent = "illegal-content";
    public const string Bullying = "bullying";
    public const string Grooming = "grooming";
    public const string Discrimination = "discrimination";
    public const string Drugs = "drugs";
    public const string Extremism = "extremism";
    public const string Gambling = "gambling";
    public const string Pornography = "pornography";
    public const string SelfHarm = "self-harm";
    public const string Suicide = "suicide";
    public const string Violence = "violence";

    public static IReadOnlyList<string> All { get; } =
    [
        IllegalContent, Bullying, Grooming, Discrimination, Drugs, Extremism,
        Gambling, Pornography, SelfHarm, Suicide, Violence,
    ];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);
}
