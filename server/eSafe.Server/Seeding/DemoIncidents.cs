using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Analysts;
using eSafe.Server.Escalation;
using eSafe.Server.Storage;
using eSafe.Server.Workflow;

namespace eSafe.Server.Seeding;

/// <summary>
/// With <c>--demo</c>, once: the demo school's contacts, its report password, and a handful of made-up incidents, every one
/// marked DEMO (machine DEMO-PC, demo.invalid pages), some undecided and some decided, so a newcomer sees a working queue,
/// a decision, an alert and a report at once. Nothing here came from a real pupil.
/// </summary>
public sealed class DemoIncidents(IIncidentStore incidents, IncidentDecisions decisions, Safeguarding safeguarding, IAnalystStore accounts,
    CompiledLibrary library, TimeProvider clock)
{
    private sealed record Made(string Source, string Url, string Title, string Context);

    private static readonly Made[] Incidents =
    [
        new(TextSources.Typed, "https://chat.demo.invalid/messages", "Messages (DEMO)",
            "(DEMO) nobody gets it. i want to end my life tonight, i've thought about how"),
        new(TextSources.Search, "https://search.demo.invalid/?q=how+deep+to+cut", "Search (DEMO)",
            "(DEMO) how deep to cut without anyone noticing"),
        new(TextSources.Typed, "https://social.demo.invalid/post/42", "Class group (DEMO)",
            "(DEMO) everyone hates you, just leave the group and don't come back monday"),
        new(TextSources.Typed, "https://chat.demo.invalid/messages", "Messages (DEMO)",
            "(DEMO) i'm going to stab him tomorrow after school, he'll see"),
        new(TextSources.Page, "https://news.demo.invalid/health/cannabis-facts", "Cannabis: the facts (DEMO)",
            "(DEMO) a health lesson page about what smoking weed does to young people's memory"),
        new(TextSources.Typed, "https://game.demo.invalid/chat", "Game chat (DEMO)",
            "(DEMO) don't tell your mum about our chats, she wouldn't understand. send me a pic"),
    ];

    /// <summary>How many demo incidents a demo school starts with.</summary>
    public static int Count => Incidents.Length;

    public async Task EnsureAsync(DemoCredentials demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var schoolId = demo.SchoolId;
        var analyst = ConsoleUser.Of(await accounts.FindAsync(demo.AnalystUsername, cancellationToken)
            ?? throw new InvalidOperationException("The demo analyst is missing."));
        var schoolContact = ConsoleUser.Of(await accounts.FindAsync(demo.ContactUsername!, cancellationToken)
            ?? throw new InvalidOperationException("The demo school's contact is missing."));
        if (await incidents.CountAsync(new IncidentFilter { SchoolIds = [schoolId] }, cancellationToken) > 0)
        {
            return;
        }

        await AddContactsAsync(schoolId, cancellationToken);
        var now = clock.GetUtcNow();
        var ids = new List<string>();
        for (var n = 0; n < Incidents.Length; n++)
        {
            ids.Add(await AddAsync(schoolId, Incidents[n], now.AddMinutes(-37 * (Incidents.Length - n)), n, cancellationToken));
        }

        // Decided by the demo analyst: one intervention (a report planned), one false positive, one urgent alert acknowledged by the school.
        await decisions.DecideAsync(analyst, ids[3], new DecisionRequest
        {
            Outcome = DecisionOutcomes.Intervention,
            Severity = 4,
            Narrative = "(DEMO) The pupil wrote in a private chat that they would bring a knife to school the next day, aimed at a named classmate.",
            EscalationReason = "A stated plan to bring a weapon into school.",
        }, null, cancellationToken);
        await decisions.DecideAsync(analyst, ids[4], new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction,
            NoActionReason = NoActionReasons.FalsePositive,
            ProposedException = "the facts",
        }, null, cancellationToken);
        await decisions.DecideAsync(analyst, ids[5], new DecisionRequest
        {
            Outcome = DecisionOutcomes.Intervention,
            Severity = 5,
            Urgent = true,
            Narrative = "(DEMO) An adult in a game chat asked the pupil to keep their chats secret from their mother and to send a picture.",
            EscalationReason = "Grooming: secrecy and a request for images.",
        }, null, cancellationToken);
        await decisions.AcknowledgeAsync(schoolContact, ids[5], null, cancellationToken);
    }

    private async Task AddContactsAsync(string schoolId, CancellationToken cancellationToken)
    {
        var cli = CommandLineUser.Instance;
        await safeguarding.SaveContactAsync(cli, schoolId, "dsl-1", new ContactRequest("Alex Morgan (DEMO DSL)", ContactRoles.Dsl, "+447700900101",
            "dsl@demo-school.example.org", 1), null, cancellationToken);
        await safeguarding.SaveContactAsync(cli, schoolId, "deputy-1", new ContactRequest("Sam Patel (DEMO deputy DSL)", ContactRoles.DeputyDsl,
            "+447700900102", "deputy.dsl@demo-school.example.org", 1), null, cancellationToken);
        await safeguarding.SaveContactAsync(cli, schoolId, "head-1", new ContactRequest("Jo Williams (DEMO head)", ContactRoles.Head, "+447700900103",
            "head@demo-school.example.org", 1), null, cancellationToken);
    }

    private async Task<string> AddAsync(string schoolId, Made made, DateTimeOffset at, int n, CancellationToken cancellationToken)
    {
        // The library itself finds what the made-up text holds, as a device would.
        var hit = new ThreatMatcher(library).Scan(made.Context).OrderByDescending(m => m.Entry.Severity).FirstOrDefault()
            ?? throw new InvalidOperationException($"The demo text \"{made.Context}\" matches nothing in library {library.Version}.");
        var entry = hit.Entry;
        var incident = new Incident
        {
            Id = IncidentId.New(at),
            SchoolId = schoolId,
            DeviceId = "dev-demo",
            UserId = DemoUserIds[n % DemoUserIds.Length],
            MachineName = $"DEMO-PC-{n % 3 + 1:00}",
            DeviceAddresses = ["192.0.2.10"],
            OccurredAt = at,
            LocalOffsetMinutes = 0,
            Url = made.Url,
            PageTitle = made.Title,
            Source = made.Source,
            RuleId = entry.Id,
            Phrase = entry.Phrase,
            MatchedText = hit.MatchedText(made.Context),
            Category = entry.Category,
            Severity = entry.Severity,
            Context = made.Context,
            ScreenshotMissingReason = "demo incident: no screenshot",
            HostVersion = "demo",
            LibraryVersion = library.Version,
        };
        await incidents.AddAsync(new StoredIncident(incident, at.AddSeconds(2), "192.0.2.10", IncidentStatuses.New, false), null, cancellationToken);
        return incident.Id;
    }

    // Made-up pseudonymous IDs in the real format; two incidents share the first, so the incident page shows a timeline.
    private static readonly string[] DemoUserIds = ["d3e0a11ce0000000000000000000d3e0", "de0b0b00000000000000000000000de0",
        "de0c4a41e00000000000000000000de0"];
}
