using System.Security.Cryptography;
using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>Month keys, their destruction, and the deletion of expired incidents: the same tests over LiteDB and PostgreSQL (screenshots in the database or in files).</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.AllScreenshotStores))]
public sealed class RetentionStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    private IPeriodKeyStore Keys => _stores.Get<IPeriodKeyStore>();
    private IIncidentStore Incidents => _stores.Get<IIncidentStore>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    private static PeriodKeyRecord Key(string school, string period, byte fill) => new(school, period, Enumerable.Repeat(fill, 60).ToArray(), At, null);

    [Test]
    public async Task A_period_has_one_key_whoever_adds_it_first_and_a_destroyed_one_stays_a_tombstone()
    {
        (await Keys.AddIfMissingAsync(Key("sch-a", "2026-10", 1), CancellationToken.None)).Wrapped.Should().OnlyContain(b => b == 1);
        (await Keys.AddIfMissingAsync(Key("sch-a", "2026-10", 2), CancellationToken.None)).Wrapped.Should().OnlyContain(b => b == 1, "the first key stays");
        await Keys.AddIfMissingAsync(Key("sch-b", "2026-10", 3), CancellationToken.None);
        await Keys.AddIfMissingAsync(Key("sch-a", "2026-11", 4), CancellationToken.None);

        (await Keys.DestroyAsync("sch-a", "2026-10", At.AddDays(400), CancellationToken.None)).Should().BeTrue();
        (await Keys.DestroyAsync("sch-a", "2026-10", At.AddDays(401), CancellationToken.None)).Should().BeFalse("it is gone already");
        (await Keys.DestroyAsync("sch-a", "2020-01", At, CancellationToken.None)).Should().BeFalse("there never was one");
        var tombstone = await Keys.GetAsync("sch-a", "2026-10", CancellationToken.None);
        tombstone.Should().Be(new PeriodKeyRecord("sch-a", "2026-10", null, At, At.AddDays(400)));
        (await Keys.AddIfMissingAsync(Key("sch-a", "2026-10", 5), CancellationToken.None)).Destroyed.Should().BeTrue("a shredded period gets no new key");
        (await Keys.RewrapAsync("sch-a", "2026-10", [9, 9], CancellationToken.None)).Should().BeFalse();
        (await Keys.RewrapAsync("sch-b", "2026-10", [9, 9], CancellationToken.None)).Should().BeTrue();

        (await Keys.ListAsync(CancellationToken.None)).Select(k => (k.SchoolId, k.Period, k.Destroyed, k.Wrapped?.Length)).Should().Equal(
            ("sch-a", "2026-10", true, null), ("sch-a", "2026-11", false, 60), ("sch-b", "2026-10", false, 2));
    }

    [Test]
    public async Task Records_of_a_destroyed_month_key_open_no_more_while_other_months_and_schools_still_do()
    {
        var periods = _stores.Get<PeriodKeys>();
        var october = new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero);
        var blob = await periods.EncryptAsync("sch-a", october, "about a pupil"u8.ToArray(), "test", CancellationToken.None);
        var november = await periods.EncryptAsync("sch-a", At, "a month on"u8.ToArray(), "test", CancellationToken.None);
        var otherSchool = await periods.EncryptAsync("sch-b", october, "another school"u8.ToArray(), "test", CancellationToken.None);
        blob[0].Should().Be(PeriodKeys.Version);
        (await periods.DecryptAsync("sch-a", october, blob, "test", CancellationToken.None)).Should().Equal("about a pupil"u8.ToArray());
        await FluentActions.Awaiting(() => periods.DecryptAsync("sch-a", october, blob, "other", CancellationToken.None))
            .Should().ThrowAsync<CryptographicException>("a blob is bound to its purpose");
        await FluentActions.Awaiting(() => periods.DecryptAsync("sch-b", october, blob, "test", CancellationToken.None))
            .Should().ThrowAsync<CryptographicException>("and to its school's key");

        (await periods.DestroyAsync("sch-a", "2026-10", CancellationToken.None)).Should().BeTrue();
        await FluentActions.Awaiting(() => periods.DecryptAsync("sch-a", october, blob, "test", CancellationToken.None))
            .Should().ThrowAsync<CryptographicException>().WithMessage("*destroyed*");
        await FluentActions.Awaiting(() => periods.EncryptAsync("sch-a", october, [1], "test", CancellationToken.None))
            .Should().ThrowAsync<CryptographicException>("nothing more is encrypted for a shredded month");
        (await periods.DecryptAsync("sch-a", At, november, "test", CancellationToken.None)).Should().Equal("a month on"u8.ToArray());
        (await periods.DecryptAsync("sch-b", october, otherSchool, "test", CancellationToken.None)).Should().Equal("another school"u8.ToArray());
    }

    [Test]
    public async Task Deleting_by_receipt_time_takes_the_schools_older_incidents_with_their_screenshots_workflows_and_jobs()
    {
        var added = new List<StoredIncident>();
        foreach (var (school, minute) in new[] { ("sch-a", 1), ("sch-a", 2), ("sch-a", 90), ("sch-b", 1) })
        {
            var (incident, screenshot) = IncidentStoreContractTests.Make(school, minute);
            (await Incidents.AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
            added.Add(incident);
        }

        var (early, second, late, otherSchool) = (added[0], added[1], added[2], added[3]);
        var decided = IncidentWorkflow.Initial(IncidentStatuses.New) with { Version = 1, Status = IncidentStatuses.Closed };
        (await _stores.Get<IIncidentWorkflowStore>().SaveAsync(early.Id, decided, CancellationToken.None)).Should().BeTrue();
        var jobs = _stores.Get<IJobStore>();
        await jobs.AddAsync(new EscalationJob("job-1", JobKinds.ReportEmail, "sch-a", early.Id, 1, "c-1", 0, null, At, At, JobStates.Pending, 0, null, null, null),
            CancellationToken.None);
        await jobs.AddAsync(new EscalationJob("job-2", JobKinds.ReportEmail, "sch-a", late.Id, 1, "c-1", 0, null, At, At, JobStates.Pending, 0, null, null, null),
            CancellationToken.None);

        var cutoff = late.ReceivedAt.AddMinutes(-1);
        (await Incidents.DeleteReceivedBeforeAsync("sch-a", cutoff, CancellationToken.None)).Should().Equal(new[] { early.Id, second.Id }.Order(StringComparer.Ordinal));
        (await Incidents.DeleteReceivedBeforeAsync("sch-a", cutoff, CancellationToken.None)).Should().BeEmpty("they are gone");

        (await Incidents.GetAsync(early.Id, CancellationToken.None)).Should().BeNull();
        (await Incidents.GetScreenshotAsync(early.Id, CancellationToken.None)).Should().BeNull();
        (await _stores.Get<IIncidentWorkflowStore>().GetAsync(early.Id, CancellationToken.None)).Should().BeNull();
        (await jobs.ListForIncidentAsync(early.Id, CancellationToken.None)).Should().BeEmpty();
        (await jobs.ListForIncidentAsync(late.Id, CancellationToken.None)).Should().ContainSingle();
        (await Incidents.GetAsync(late.Id, CancellationToken.None)).Should().BeEquivalentTo(late);
        (await Incidents.GetAsync(otherSchool.Id, CancellationToken.None)).Should().BeEquivalentTo(otherSchool, "another school's incidents are its own");
        (await Incidents.CountAsync(CancellationToken.None)).Should().Be(2);
    }
}
