namespace eSafe.Server.Analysts;

/// <summary>Who may use the console: eSafe's analysts (every school) and, later, a school's own contacts (their school only).</summary>
public static class Roles
{
    public const string Analyst = "analyst";
    public const string SchoolContact = "school-contact";

    /// <summary>An analyst who also reads the audit log (every school).</summary>
    public const string SeniorAnalyst = "senior-analyst";

    public static bool IsKnown(string? role) => role is Analyst or SchoolContact;
}
