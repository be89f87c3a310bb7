namespace eSafe.Server.Fleet;

/// <summary>The fleet's job kinds and audit actions, beside the escalation's in the same job store and audit log.</summary>
public static class FleetJobs
{
    /// <summary>Look over every school's devices for new flags (one job a check period, whichever process adds it first).</summary>
    public const string Check = "fleet-check";

    /// <summary>Tell a school's IT contacts of one flag's episode: without a contact it plans one job a contact.</summary>
    public const string Alert = "fleet-alert";

    /// <summary>The school ID of a check job, which covers every school.</summary>
    public const string EverySchool = "*";

    public const string AlertRaisedAudit = "fleet-alert-raised";
    public const string AlertSentAudit = "fleet-alert-sent";
    public const string AlertAcknowledgedAudit = "fleet-alert-acknowledged";

    /// <summary>The contact of the alert job that emails the analysts (<see cref="FleetOptions.AnalystEmails"/>): no school contact's ID has a colon.</summary>
    public const string Analysts = ":analysts";
}
