namespace eSafe.Server.Analysts;

/// <summary>Who may use the console: eSafe's analysts (every school) and, later, a school's own contacts (their school only).</summary>
public static class Roles
{
    public const string Analyst = "analyst";
    public const string SchoolContact = "school-contact";

    public static bool IsKnown(string? role) => role is Analyst or SchoolContact;
}
