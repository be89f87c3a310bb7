using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Workflow;

/// <summary>
/// A school of its own on a running server, with console accounts for each role (made as the admin commands make them) and
/// incidents put straight into the store, so each workflow test starts from a known queue.
/// </summary>
public sealed class WorkflowSchool
{
    private WorkflowSchool(ServerHarness server, string schoolId, Dictionary<string, string> passwords)
    {
        Server = server;
        SchoolId = schoolId;
        _passwords = passwords;
    }

    private readonly Dictionary<string, string> _passwords;

    public ServerHarness Server { get; }
    public string SchoolId { get; }

    public static string UserIdOf(string email) => PseudonymousId.Compute(new byte[32], email);

    public static async Task<WorkflowSchool> AddAsync(ServerHarness server, string name)
    {
        var provisioning = server.Service<Provisioning>();
        var (school, _) = await provisioning.AddSchoolAsync(name, "test", CancellationToken.None);
        var prefix = school.Id[^6..];
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, username) in new[]
        {
            (Roles.Analyst, $"analyst-{prefix}"), (Roles.SeniorAnalyst, $"senior-{prefix}"), (Roles.SchoolContact, $"dsl-{prefix}"),
        })
        {
            var (_, password) = await provisioning.AddAccountAsync(username, $"{role} of {name}", role, role == Roles.SchoolContact ? school.Id : null,
                "test", CancellationToken.None, role == Roles.SchoolContact ? null : "Enhanced DBS (2026); NPPV 2");
            passwords[role] = password;
        }

        return new WorkflowSchool(server, school.Id, passwords);
    }

    public string Username(string role) => role switch
    {
        Roles.Analyst => $"analyst-{SchoolId[^6..]}",
        Roles.SeniorAnalyst => $"senior-{SchoolId[^6..]}",
        _ => $"dsl-{SchoolId[^6..]}",
    };

    public Task<IAnalystApi> SignInAsync(string role) => Server.SignedInAsync(Username(role), _passwords[role]);

    public string PasswordOf(string role) => _passwords[role];

    /// <summary>An incident as a device would have delivered it, straight into the store.</summary>
    public async Task<Incident> AddIncidentAsync(int severity = 4, string category = "self-harm", DateTimeOffset? at = null,
        string pupil = "pupil@example.org", string ruleId = "sh-0001", string context = "i want to hurt myself tonight, nobody cares")
    {
        var occurred = at ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var incident = new Incident
        {
            Id = IncidentId.New(occurred),
            SchoolId = SchoolId,
            DeviceId = "dev-test",
            UserId = UserIdOf(pupil),
            MachineName = "LAB-PC-07",
            DeviceAddresses = ["10.1.2.3"],
            OccurredAt = occurred,
            LocalOffsetMinutes = 60,
            Url = "https://chat.example.org/room/7?name=someone",
            PageTitle = "Class chat",
            Source = TextSources.Typed,
            RuleId = ruleId,
            Phrase = "hurt myself",
            MatchedText = "hurt myself",
            Category = category,
            Severity = severity,
            Context = context,
            ScreenshotMissingReason = "the tab was not visible",
            HostVersion = "0.1.0",
            LibraryVersion = "2026.11.1",
        };
        var outcome = await Server.Service<IIncidentStore>().AddAsync(
            new StoredIncident(incident, occurred.AddSeconds(1), "10.1.2.3", IncidentStatuses.New, false), null, CancellationToken.None);
        outcome.Should().Be(AddOutcome.Added);
        return incident;
    }

    /// <summary>The DSL, deputy and head, with phones and emails; returns the school's new report password.</summary>
    public async Task<string> AddContactsAsync()
    {
        var senior = await SignInAsync(Roles.SeniorAnalyst);
        await senior.SaveContactAsync(SchoolId, "dsl-1", new ContactRequest("Dana DSL", ContactRoles.Dsl, "+447700900201", "dsl@school.example.org", 1),
            CancellationToken.None);
        await senior.SaveContactAsync(SchoolId, "deputy-1", new ContactRequest("Dev Deputy", ContactRoles.DeputyDsl, "+447700900202",
            "deputy@school.example.org", 1), CancellationToken.None);
        await senior.SaveContactAsync(SchoolId, "head-1", new ContactRequest("Hana Head", ContactRoles.Head, "+447700900203", "head@school.example.org", 1),
            CancellationToken.None);
        return (await senior.IssueReportPasswordAsync(SchoolId, CancellationToken.None)).Password;
    }

    public static DecisionRequest Intervention(int severity = 4, bool urgent = false) => new()
    {
        Outcome = DecisionOutcomes.Intervention,
        Severity = severity,
        Urgent = urgent,
        Narrative = "The pupil wrote about hurting themselves tonight in a class chat; the wording is specific.",
        EscalationReason = "Risk of self-harm tonight.",
    };
}
