using System.Security.Cryptography;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>What every incident store does, whichever database keeps it: the same tests over LiteDB and PostgreSQL (screenshots in the database or in files).</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.AllScreenshotStores))]
public sealed class IncidentStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    private IIncidentStore Incidents => _stores.Get<IIncidentStore>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    /// <summary>An incident at <paramref name="minute"/> minutes after the start, as ingestion would store it.</summary>
    internal static (StoredIncident Incident, byte[] Screenshot) Make(string school, int minute, int severity = 4, string category = "self-harm",
        string user = "pupil@example.org", string status = IncidentStatuses.New)
    {
        var at = Start.AddMinutes(minute);
        var device = new EnrolmentResponse(school, "dev-" + school, "token", new ServerSealingKey("k1", []));
        var incident = TestIncidents.New(device, at) with
        {
            Severity = severity,
            Category = category,
            UserId = PseudonymousId.Compute(TestIncidents.SchoolKey, user),
            Context = $"typed at minute {minute}: i want to hurt myself",
        };
        return (new StoredIncident(incident with { Screenshot = null }, at.AddSeconds(3), "203.0.113.9", status, true), incident.Screenshot!);
    }

    private async Task<StoredIncident> AddAsync(string school, int minute, int severity = 4, string category = "self-harm",
        string user = "pupil@example.org", string status = IncidentStatuses.New)
    {
        var (incident, screenshot) = Make(school, minute, severity, category, user, status);
        (await Incidents.AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        return incident;
    }

    [Test]
    public async Task An_incident_comes_back_as_it_was_stored_with_its_screenshot()
    {
        var (incident, screenshot) = Make("sch-a", 1);
        (await Incidents.AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);

        var read = await Incidents.GetAsync(incident.Id, CancellationToken.None);
        read.Should().BeEquivalentTo(incident);
        read!.Incident.Context.Should().Be(incident.Incident.Context);
        (await Incidents.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        (await Incidents.FindDeviceAsync(incident.Id, CancellationToken.None)).Should().Be("dev-sch-a");
        (await Incidents.GetAsync("inc-unknown", CancellationToken.None)).Should().BeNull();
        (await Incidents.GetScreenshotAsync("inc-unknown", CancellationToken.None)).Should().BeNull();
        (await Incidents.FindDeviceAsync("inc-unknown", CancellationToken.None)).Should().BeNull();
    }

    // Plaintext sizes: none, about one PostgreSQL page of ciphertext either side (29 bytes more: version, nonce, tag), a host's
    // usual screenshot and a large one.
    [TestCase(0)]
    [TestCase(7971)]
    [TestCase(7972)]
    [TestCase(100 * 1024)]
    [TestCase(1024 * 1024)]
    public async Task A_screenshot_of_any_size_comes_back_byte_identical(int size)
    {
        var (incident, _) = Make("sch-a", 1);
        var screenshot = RandomNumberGenerator.GetBytes(size);
        (await Incidents.AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);

        (await Incidents.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
    }

    [Test]
    public async Task A_second_incident_with_the_same_ID_is_a_duplicate_and_changes_nothing()
    {
        var (incident, screenshot) = Make("sch-a", 1);
        await Incidents.AddAsync(incident, screenshot, CancellationToken.None);
        var changed = incident with { Incident = incident.Incident with { Context = "something else" } };

        (await Incidents.AddAsync(changed, [1, 2, 3], CancellationToken.None)).Should().Be(AddOutcome.Duplicate);

        (await Incidents.GetAsync(incident.Id, CancellationToken.None))!.Incident.Context.Should().Be(incident.Incident.Context);
        (await Incidents.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        (await Incidents.CountAsync(CancellationToken.None)).Should().Be(1);
    }

    [Test]
    public async Task Incidents_added_at_once_are_stored_once_each_and_every_caller_is_told_whether_it_was_its_own()
    {
        // Arrivals at the same moment share a write (the stores group them): each ID is still added once, a second arrival of
        // it is a duplicate whether or not it came in the same group, and one without a screenshot has none.
        var made = Enumerable.Range(0, 24).Select(n => Make("sch-a", n)).ToList();
        var arrivals = made.Concat(made.Take(8)).Select((m, n) => (m.Incident, Screenshot: n % 12 == 5 ? null : m.Screenshot)).ToList();
        var outcomes = await Task.WhenAll(arrivals.Select(a => Task.Run(() => Incidents.AddAsync(a.Incident, a.Screenshot, CancellationToken.None))));

        outcomes.Count(o => o == AddOutcome.Added).Should().Be(24);
        arrivals.Zip(outcomes).Where(p => p.Second == AddOutcome.Added).Select(p => p.First.Incident.Id).Should().OnlyHaveUniqueItems();
        (await Incidents.CountAsync(CancellationToken.None)).Should().Be(24);
        foreach (var (incident, screenshot) in arrivals.Zip(outcomes).Where(p => p.Second == AddOutcome.Added).Select(p => p.First))
        {
            var stored = await Incidents.GetScreenshotAsync(incident.Id, CancellationToken.None);
            if (screenshot is null)
            {
                stored.Should().BeNull(incident.Id);
            }
            else
            {
                stored.Should().Equal(screenshot, incident.Id);
            }

            (await Incidents.GetAsync(incident.Id, CancellationToken.None))!.Incident.Context.Should().Be(incident.Incident.Context);
        }
    }

    [Test]
    public async Task The_queue_is_newest_first_and_pages_on_from_the_last_incident_shown()
    {
        var added = new List<StoredIncident>();
        for (var minute = 0; minute < 7; minute++)
        {
            added.Add(await AddAsync("sch-a", minute));
        }

        var newestFirst = added.Select(i => i.Id).Reverse().ToList();
        var first = await Incidents.ListAsync(new IncidentFilter { Limit = 3 }, CancellationToken.None);
        first.Select(i => i.Id).Should().Equal(newestFirst.Take(3));
        var second = await Incidents.ListAsync(new IncidentFilter { Limit = 3, After = new QueuePlace(first[^1].Id, 0) }, CancellationToken.None);
        second.Select(i => i.Id).Should().Equal(newestFirst.Skip(3).Take(3));
    }

    [Test]
    public async Task By_priority_the_queue_is_most_severe_first_then_oldest_first_and_pages_on_from_a_place()
    {
        var severities = new[] { 3, 5, 4, 5, 3, 4, 5 };
        var added = new List<StoredIncident>();
        for (var minute = 0; minute < severities.Length; minute++)
        {
            added.Add(await AddAsync("sch-a", minute, severities[minute]));
        }

        var expected = added.OrderByDescending(i => i.Incident.Severity).ThenBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Id).ToList();
        var first = await Incidents.ListAsync(new IncidentFilter { Priority = true, Limit = 4 }, CancellationToken.None);
        first.Select(i => i.Id).Should().Equal(expected.Take(4));
        var last = first[^1];
        var rest = await Incidents.ListAsync(new IncidentFilter { Priority = true, Limit = 10, After = new QueuePlace(last.Id, last.Incident.Severity) },
            CancellationToken.None);
        rest.Select(i => i.Id).Should().Equal(expected.Skip(4));
    }

    private static readonly (string Name, IncidentFilter Filter, int[] Expected)[] Filters =
    [
        ("every school", new IncidentFilter { Limit = 100 }, [0, 1, 2, 3, 4, 5]),
        ("one school", new IncidentFilter { SchoolIds = ["sch-b"], Limit = 100 }, [3, 4, 5]),
        ("two schools", new IncidentFilter { SchoolIds = ["sch-a", "sch-c"], Limit = 100 }, [0, 1, 2]),
        ("no school", new IncidentFilter { SchoolIds = [], Limit = 100 }, []),
        ("statuses", new IncidentFilter { Statuses = [IncidentStatuses.Escalated, IncidentStatuses.Closed], Limit = 100 }, [1, 4]),
        ("category", new IncidentFilter { Category = "bullying", Limit = 100 }, [2, 5]),
        ("severity", new IncidentFilter { Severity = 5, Limit = 100 }, [0, 3]),
        ("minimum severity", new IncidentFilter { MinSeverity = 4, Limit = 100 }, [0, 1, 3, 4]),
        ("one pupil", new IncidentFilter { User = ("sch-b", PseudonymousId.Compute(TestIncidents.SchoolKey, "other@example.org")), Limit = 100 }, [4]),
        ("a pupil of another school", new IncidentFilter { User = ("sch-a", PseudonymousId.Compute(TestIncidents.SchoolKey, "other@example.org")), Limit = 100 }, []),
        ("from", new IncidentFilter { From = Start.AddMinutes(3), Limit = 100 }, [3, 4, 5]),
        ("until", new IncidentFilter { Until = Start.AddMinutes(2), Limit = 100 }, [0, 1]),
        ("from and until", new IncidentFilter { From = Start.AddMinutes(1), Until = Start.AddMinutes(4), Limit = 100 }, [1, 2, 3]),
        ("several at once", new IncidentFilter { SchoolIds = ["sch-b"], MinSeverity = 4, Statuses = [IncidentStatuses.New], Limit = 100 }, [3]),
    ];

    private static IEnumerable<TestCaseData> FilterCases => Filters.Select(f => new TestCaseData(f.Filter, f.Expected).SetArgDisplayNames(f.Name));

    [TestCaseSource(nameof(FilterCases))]
    public async Task Filters_list_count_and_give_facts_of_the_same_incidents(IncidentFilter filter, int[] expected)
    {
        // Minute → school, severity, category, pupil, status.
        var made = new[]
        {
            await AddAsync("sch-a", 0, 5),
            await AddAsync("sch-a", 1, 4, status: IncidentStatuses.Escalated),
            await AddAsync("sch-a", 2, 3, "bullying"),
            await AddAsync("sch-b", 3, 5),
            await AddAsync("sch-b", 4, 4, user: "other@example.org", status: IncidentStatuses.Closed),
            await AddAsync("sch-b", 5, 3, "bullying"),
        };
        var ids = expected.Select(m => made[m].Id).ToList();

        (await Incidents.ListAsync(filter, CancellationToken.None)).Select(i => i.Id).Should().BeEquivalentTo(ids);
        (await Incidents.CountAsync(filter, CancellationToken.None)).Should().Be(ids.Count);
        var facts = await Incidents.ListFactsAsync(filter, CancellationToken.None);
        facts.Select(f => f.Id).Should().BeEquivalentTo(ids);
        foreach (var fact in facts)
        {
            var incident = made.Single(i => i.Id == fact.Id);
            fact.Should().BeEquivalentTo(new IncidentFacts(incident.Id, incident.Incident.SchoolId, incident.Incident.Category, incident.Incident.Severity,
                incident.Incident.RuleId, incident.Incident.OccurredAt, incident.ReceivedAt, incident.Status, null, null, null, null, null));
        }
    }
}
