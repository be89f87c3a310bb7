using System.Net;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>
/// Login throttling through the real server. Client addresses other than 127.0.0.1 come from X-Forwarded-For,
/// believed because 127.0.0.1 is configured as the trusted proxy (what a school's reverse proxy does).
/// </summary>
public sealed class LoginThrottleTests
{
    private const string Attacker = "198.51.100.66";
    private const string Pupil = "203.0.113.5";

    private static Task<ServerHarness> StartAsync(string? data = null, MovableClock? clock = null) =>
        ServerHarness.StartAsync(data, clock: clock ?? new MovableClock(), configure: o => o with { TrustedProxies = ["127.0.0.1"] });

    private static async Task<HttpResponseMessage> LoginFromAsync(ServerHarness server, string address, string username, string password)
    {
        using var http = server.HttpClient();
        return await Http.LoginAsync(http, username, password, request => request.Headers.Add("X-Forwarded-For", address));
    }

    private static async Task<(string Username, string Password)> AccountAsync(ServerHarness server, string username)
    {
        var (account, password) = await server.Service<Provisioning>().AddAccountAsync(username, null, Roles.Analyst, null, "test", CancellationToken.None);
        return (account.Username, password);
    }

    private static async Task FailAsync(ServerHarness server, string address, string username, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await LoginFromAsync(server, address, username, "not-the-password");
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"failure {i + 1} from {address}");
        }
    }

    [Test]
    public async Task Failures_from_one_address_lock_that_address_out_of_the_account_and_say_how_long()
    {
        await using var server = await StartAsync();
        var (username, password) = await AccountAsync(server, "target");
        await FailAsync(server, Attacker, username, LoginThrottle.MaxFailures);

        using var refused = await LoginFromAsync(server, Attacker, username, password);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        retryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(LoginThrottle.LockDuration);

        var audit = await server.Service<IAuditLog>().ReadAsync(0, 10_000, CancellationToken.None);
        audit.Should().Contain(e => e.Action == AuditActions.LoginThrottled && e.Actor == username && e.RemoteAddress == Attacker
            && e.Detail == LoginThrottle.PairReason);
    }

    [Test]
    public async Task An_attacker_address_cannot_lock_the_real_user_out()
    {
        await using var server = await StartAsync();
        var (username, password) = await AccountAsync(server, "pupil-facing");
        await FailAsync(server, Attacker, username, LoginThrottle.MaxFailures);
        for (var i = 0; i < 20; i++)
        {
            using var refused = await LoginFromAsync(server, Attacker, username, "still-guessing");
            refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        }

        using var real = await LoginFromAsync(server, Pupil, username, password);
        real.StatusCode.Should().Be(HttpStatusCode.OK, "the real user is at another address");
    }

    [Test]
    public async Task Many_addresses_against_one_account_slow_it_down_but_never_lock_it()
    {
        var clock = new MovableClock();
        await using var server = await StartAsync(clock: clock);
        var (username, password) = await AccountAsync(server, "popular");
        for (var n = 1; n <= 5; n++)
        {
            await FailAsync(server, $"198.51.100.{n}", username, 2);
        }

        // The account has had 10 failures (more than one address's worth): a failing address must now wait between tries...
        await FailAsync(server, Pupil, username, 1);
        using (var slowed = await LoginFromAsync(server, Pupil, username, password))
        {
            slowed.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            slowed.Headers.RetryAfter!.Delta!.Value.Should().BeLessThanOrEqualTo(LoginThrottle.AccountSpacing);
        }

        // ...an address that has not failed always gets its try...
        using (var fresh = await LoginFromAsync(server, "192.0.2.44", username, password))
        {
            fresh.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // ...and the slowed one gets in once it has waited.
        clock.Advance(LoginThrottle.AccountSpacing);
        using var later = await LoginFromAsync(server, Pupil, username, password);
        later.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task One_address_trying_many_accounts_is_locked_out_of_all_of_them()
    {
        await using var server = await StartAsync();
        var (username, password) = await AccountAsync(server, "sprayed");
        for (var n = 0; n < LoginThrottle.MaxAddressFailures; n++)
        {
            await FailAsync(server, Attacker, $"guess-{n}", 1);
        }

        using var refused = await LoginFromAsync(server, Attacker, username, password);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        using var other = await LoginFromAsync(server, Pupil, username, password);
        other.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_lock_survives_a_restart_and_ends_when_its_time_is_up()
    {
        var data = ServerHarness.NewDataDirectory();
        var clock = new MovableClock();
        try
        {
            string username, password;
            await using (var first = await StartAsync(data, clock))
            {
                (username, password) = await AccountAsync(first, "restarted");
                await FailAsync(first, Attacker, username, LoginThrottle.MaxFailures);
            }

            await using var second = await StartAsync(data, clock);
            using (var refused = await LoginFromAsync(second, Attacker, username, password))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the count is in the database, not in the process");
            }

            clock.Advance(LoginThrottle.LockDuration);
            using var after = await LoginFromAsync(second, Attacker, username, password);
            after.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task The_counters_name_no_account_and_no_address()
    {
        await using var server = await StartAsync();
        await FailAsync(server, Attacker, "someone", 2);
        var rows = server.Service<DataFolder>().Database.GetCollection("login_throttle").FindAll().ToList();
        rows.Should().HaveCount(3);
        rows.Select(r => r.ToString()).Should().AllSatisfy(text => text.Should().NotContain("someone").And.NotContain(Attacker));
    }
}
