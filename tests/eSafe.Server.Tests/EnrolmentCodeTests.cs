using System.Net;
using eSafe.Server.Admin;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>Enrolment codes have a use limit and an expiry, counted in the store (issue 9).</summary>
public sealed class EnrolmentCodeTests
{
    private static async Task<HttpStatusCode> EnrolStatusAsync(ServerHarness server, string code)
    {
        try
        {
            await server.EnrolAsync(code);
            return HttpStatusCode.OK;
        }
        catch (ApiException e)
        {
            return e.StatusCode;
        }
    }

    [Test]
    public async Task A_code_from_the_command_line_works_its_number_of_uses_then_says_it_is_used_up_and_the_refusal_is_audited()
    {
        var data = ServerHarness.NewDataDirectory();
        try
        {
            var school = await ServerCli.RunAsync("school", "add", "--name", "Brook Academy", "--data", data);
            school.ExitCode.Should().Be(0, school.Error);
            ServerCli.Value(school.Output, "Uses").Should().Be("500", "the default limit");
            var schoolId = ServerCli.Value(school.Output, "School ID");
            var firstCode = ServerCli.Value(school.Output, "Enrolment code");

            var issued = await ServerCli.RunAsync("school", "enrolment-code", "--school", schoolId, "--uses", "2", "--expires", "2d", "--data", data);
            issued.ExitCode.Should().Be(0, issued.Error);
            var code = ServerCli.Value(issued.Output, "Enrolment code");
            ServerCli.Value(issued.Output, "Uses").Should().Be("2");
            DateTimeOffset.Parse(ServerCli.Value(issued.Output, "Expires").Replace(" UTC", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)
                .Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(2), TimeSpan.FromMinutes(2));

            await using var server = await ServerHarness.StartAsync(data, demo: false);
            (await EnrolStatusAsync(server, firstCode)).Should().Be(HttpStatusCode.Unauthorized, "a new code replaces the old one");
            (await EnrolStatusAsync(server, code)).Should().Be(HttpStatusCode.OK);
            (await EnrolStatusAsync(server, code)).Should().Be(HttpStatusCode.OK);
            var refused = await FluentActions.Awaiting(() => server.EnrolAsync(code)).Should().ThrowAsync<ApiException>();
            refused.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            refused.Which.Content.Should().Contain("used as many times as it allows");

            var audit = await server.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None);
            audit.Should().Contain(e => e.Action == AuditActions.EnrolmentCodeIssued && e.SchoolId == schoolId && e.Detail!.StartsWith("2 uses", StringComparison.Ordinal));
            audit.Should().Contain(e => e.Action == AuditActions.EnrolmentRefused && e.SchoolId == schoolId && e.Detail == nameof(RedeemOutcome.UsedUp));
            (await server.Service<IDeviceStore>().ListAsync(schoolId, CancellationToken.None)).Should().HaveCount(2);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task An_expired_code_is_refused_with_its_reason()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        await using var server = await ServerHarness.StartAsync(demo: false, clock: clock);
        var (school, code) = await server.Service<Provisioning>().AddSchoolAsync("Short Code School", "test", CancellationToken.None,
            new EnrolmentCodeLimits(10, TimeSpan.FromHours(1)));
        (await EnrolStatusAsync(server, code)).Should().Be(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromHours(2));
        var refused = await FluentActions.Awaiting(() => server.EnrolAsync(code)).Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.Which.Content.Should().Contain("expired");
        (await server.Service<IDeviceStore>().ListAsync(school.Id, CancellationToken.None)).Should().ContainSingle();
    }

    [Test]
    public async Task Many_devices_at_once_never_get_more_enrolments_than_the_code_allows()
    {
        await using var server = await ServerHarness.StartAsync(demo: false);
        var (school, code) = await server.Service<Provisioning>().AddSchoolAsync("Rush School", "test", CancellationToken.None,
            new EnrolmentCodeLimits(7));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => EnrolStatusAsync(server, code))));

        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(7);
        statuses.Count(s => s == HttpStatusCode.Forbidden).Should().Be(33);
        (await server.Service<IDeviceStore>().ListAsync(school.Id, CancellationToken.None)).Should().HaveCount(7);
    }

    [Test]
    public async Task A_code_issued_before_codes_had_limits_still_works_and_is_limited_from_then_on()
    {
        await using var server = await ServerHarness.StartAsync(demo: false);
        var (school, code) = await server.Service<Provisioning>().AddSchoolAsync("Old Code School", "test", CancellationToken.None);
        server.Service<DataFolder>().Database.GetCollection("enrolment_codes").DeleteAll();

        (await EnrolStatusAsync(server, code)).Should().Be(HttpStatusCode.OK);
        var limits = await server.Service<Provisioning>().CodeAsync(school.EnrolmentCodeHash, CancellationToken.None);
        limits!.Uses.Should().Be(1);
        limits.MaxUses.Should().Be(EnrolmentCodeLimits.DefaultUses);
    }

    [TestCase("--uses", "0", "--uses must be")]
    [TestCase("--uses", "100001", "--uses must be")]
    [TestCase("--expires", "soon", "--expires must be")]
    [TestCase("--expires", "2001-01-01", "in the future")]
    [TestCase("--expires", "400d", "at most 366 days")]
    public async Task Bad_limits_are_refused_clearly_and_change_nothing(string option, string value, string says)
    {
        var data = ServerHarness.NewDataDirectory();
        try
        {
            var school = await ServerCli.RunAsync("school", "add", "--name", "Limit School", "--data", data);
            var code = ServerCli.Value(school.Output, "Enrolment code");
            var issued = await ServerCli.RunAsync("school", "enrolment-code", "--school", ServerCli.Value(school.Output, "School ID"), option, value, "--data", data);
            issued.ExitCode.Should().Be(1);
            issued.Error.Should().Contain(says);

            await using var server = await ServerHarness.StartAsync(data, demo: false);
            (await EnrolStatusAsync(server, code)).Should().Be(HttpStatusCode.OK, "the school's code is unchanged");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
