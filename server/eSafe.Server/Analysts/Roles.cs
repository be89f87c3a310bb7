namespace eSafe.Server.Analysts;

/// <summary>
/// Who may use the console: eSafe's analysts and senior analysts (every school; a senior analyst also accepts library
/// changes and manages schools' contacts and protocols) and a school's own contacts (their school only).
/// </summary>
public static class Roles
{
    public const string Analyst = "analyst";
    public const string SeniorAnalyst = "senior-analyst";
    public const string SchoolContact = "school-contact";

    public static IReadOnlyList<string> All { get; } = [Analyst, SeniorAnalyst, SchoolContact];

    public static bool IsKnown(string? role) => role is Analyst or SeniorAnalyst or SchoolContact;

    /// <summary>eSafe's own staff, who review incidents of every school.</summary>
    public static bool IsStaff(string? role) => role is Analyst or SeniorAnalyst;
}
