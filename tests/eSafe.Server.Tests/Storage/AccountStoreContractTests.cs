using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>Schools, devices, console accounts and enrolment codes: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class AccountStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    [Test]
    public async Task Schools_are_found_by_ID_and_code_hash_and_listed_by_name()
    {
        var schools = _stores.Get<ISchoolStore>();
        var hill = new SchoolRecord("sch-1", "hill Primary", "hash-1", At);
        var brook = new SchoolRecord("sch-2", "Brook Academy", "hash-2", At.AddDays(1));
        await schools.AddAsync(hill, CancellationToken.None);
        await schools.AddAsync(brook, CancellationToken.None);

        (await schools.GetAsync("sch-1", CancellationToken.None)).Should().Be(hill);
        (await schools.FindByEnrolmentCodeHashAsync("hash-2", CancellationToken.None)).Should().Be(brook);
        (await schools.ListAsync(CancellationToken.None)).Should().Equal(brook, hill);
        (await schools.SetEnrolmentCodeHashAsync("sch-1", "hash-3", CancellationToken.None)).Should().BeTrue();
        (await schools.FindByEnrolmentCodeHashAsync("hash-1", CancellationToken.None)).Should().BeNull();
        (await schools.FindByEnrolmentCodeHashAsync("hash-3", CancellationToken.None))!.Id.Should().Be("sch-1");
        (await schools.SetEnrolmentCodeHashAsync("sch-9", "hash-9", CancellationToken.None)).Should().BeFalse();
        (await schools.GetAsync("sch-9", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task A_second_school_with_the_same_ID_or_code_hash_is_refused()
    {
        var schools = _stores.Get<ISchoolStore>();
        await schools.AddAsync(new SchoolRecord("sch-1", "Hill", "hash-1", At), CancellationToken.None);
        await FluentActions.Awaiting(() => schools.AddAsync(new SchoolRecord("sch-1", "Other", "hash-2", At), CancellationToken.None)).Should().ThrowAsync<Exception>();
        await FluentActions.Awaiting(() => schools.AddAsync(new SchoolRecord("sch-2", "Other", "hash-1", At), CancellationToken.None)).Should().ThrowAsync<Exception>();
        (await schools.ListAsync(CancellationToken.None)).Should().ContainSingle().Which.Name.Should().Be("Hill");
    }

    [Test]
    public async Task Devices_keep_their_encrypted_fields_and_their_first_revocation()
    {
        var devices = _stores.Get<IDeviceStore>();
        var one = new DeviceRecord("dev-1", "sch-1", [1, 2, 3], "LAB-PC-01", "0.1.0", At, "10.0.0.5");
        var two = new DeviceRecord("dev-2", "sch-1", [4, 5, 6], "LAB-PC-02", "0.1.0", At, null);
        await devices.AddAsync(one, CancellationToken.None);
        await devices.AddAsync(two, CancellationToken.None);
        await devices.AddAsync(new DeviceRecord("dev-3", "sch-2", [7], "OFFICE", "0.1.0", At, null), CancellationToken.None);

        (await devices.GetAsync("dev-1", CancellationToken.None)).Should().BeEquivalentTo(one);
        (await devices.ListAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo([one, two]);
        (await devices.RevokedCountAsync(CancellationToken.None)).Should().Be(0);
        var first = new DeviceRevocation(At.AddHours(1), "sam", "stolen");
        (await devices.RevokeAsync("dev-1", first, CancellationToken.None))!.Revoked.Should().Be(first);
        (await devices.RevokedCountAsync(CancellationToken.None)).Should().Be(1, "servers that keep device records learn of a revocation from this count");
        (await devices.RevokeAsync("dev-1", new DeviceRevocation(At.AddHours(2), "alex", null), CancellationToken.None))!.Revoked.Should().Be(first);
        (await devices.RevokeAsync("dev-9", first, CancellationToken.None)).Should().BeNull();
        (await devices.GetAsync("dev-2", CancellationToken.None))!.Revoked.Should().BeNull();
        (await devices.RevokeAsync("dev-3", first, CancellationToken.None))!.Revoked.Should().Be(first);
        (await devices.RevokedCountAsync(CancellationToken.None)).Should().Be(2);
    }

    [Test]
    public async Task Accounts_are_one_per_username_whatever_its_case()
    {
        var accounts = _stores.Get<IAnalystStore>();
        var sam = new AnalystAccount("Sam", "Sam Analyst", "analyst", null, "hash", "stamp-1", At) { Qualifications = "Enhanced DBS 2026" };
        (await accounts.AddAsync(sam, CancellationToken.None)).Should().BeTrue();
        (await accounts.AddAsync(sam with { Username = "SAM", DisplayName = "Other" }, CancellationToken.None)).Should().BeFalse();
        (await accounts.AddAsync(new AnalystAccount("dsl", "Dee", "school-contact", "sch-1", "hash", "s", At), CancellationToken.None)).Should().BeTrue();

        (await accounts.FindAsync(" sam ", CancellationToken.None)).Should().Be(sam);
        (await accounts.UpdateAsync(sam with { SecurityStamp = "stamp-2", Qualifications = null }, CancellationToken.None)).Should().BeTrue();
        (await accounts.FindAsync("Sam", CancellationToken.None))!.Should().BeEquivalentTo(new { SecurityStamp = "stamp-2", Qualifications = (string?)null });
        (await accounts.UpdateAsync(sam with { Username = "nobody" }, CancellationToken.None)).Should().BeFalse();
        (await accounts.ListAsync(CancellationToken.None)).Select(a => a.Username).Should().BeEquivalentTo("dsl", "Sam");
        (await accounts.FindAsync("nobody", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task An_enrolment_code_works_until_used_up_or_expired_and_a_new_one_replaces_it()
    {
        var codes = _stores.Get<IEnrolmentCodeStore>();
        await codes.IssueAsync(new EnrolmentCodeRecord("code-1", "sch-1", 2, 0, At, At.AddDays(7)), CancellationToken.None);

        (await codes.RedeemAsync("code-1", At.AddDays(1), CancellationToken.None)).Should().Be(new Redemption(RedeemOutcome.Redeemed, "sch-1"));
        (await codes.RedeemAsync("code-1", At.AddDays(8), CancellationToken.None)).Should().Be(new Redemption(RedeemOutcome.Expired, "sch-1"));
        (await codes.RedeemAsync("code-1", At.AddDays(1), CancellationToken.None)).Should().Be(new Redemption(RedeemOutcome.Redeemed, "sch-1"));
        (await codes.RedeemAsync("code-1", At.AddDays(1), CancellationToken.None)).Should().Be(new Redemption(RedeemOutcome.UsedUp, "sch-1"));
        (await codes.RedeemAsync("code-x", At, CancellationToken.None)).Should().Be(new Redemption(RedeemOutcome.Unknown, null));
        (await codes.GetAsync("code-1", CancellationToken.None)).Should().Be(new EnrolmentCodeRecord("code-1", "sch-1", 2, 2, At, At.AddDays(7)));

        await codes.IssueAsync(new EnrolmentCodeRecord("code-2", "sch-1", 5, 0, At, At.AddDays(7)), CancellationToken.None);
        (await codes.GetAsync("code-1", CancellationToken.None)).Should().BeNull();
        (await codes.RedeemAsync("code-2", At, CancellationToken.None)).Outcome.Should().Be(RedeemOutcome.Redeemed);
    }

    [Test]
    public async Task Many_uses_at_once_never_pass_a_codes_limit()
    {
        var codes = _stores.Get<IEnrolmentCodeStore>();
        await codes.IssueAsync(new EnrolmentCodeRecord("code-1", "sch-1", 5, 0, At, At.AddDays(7)), CancellationToken.None);
        var uses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => codes.RedeemAsync("code-1", At, CancellationToken.None))));
        uses.Count(u => u.Outcome == RedeemOutcome.Redeemed).Should().Be(5);
        uses.Count(u => u.Outcome == RedeemOutcome.UsedUp).Should().Be(19);
        (await codes.GetAsync("code-1", CancellationToken.None))!.Uses.Should().Be(5);
    }
}
