using System.Net;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

using Microsoft.Extensions.Hosting;

namespace eSafe.Server.Tests;

/// <summary>Sessions end on the server: a cookie copied before logout, reset or expiry is refused afterwards.</summary>
public sealed class SessionTests
{
    private static async Task<(ServerHarness Server, MovableClock Clock)> StartAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var clock = new MovableClock();
        return (await ServerHarness.StartAsync(clock: clock, configure: configure), clock);
    }

    private static async Task<string> SignInAsync(ServerHarness server, string? username = null, string? password = null)
    {
        using var http = server.HttpClient();
        using var response = await Http.LoginAsync(http, username ?? server.Demo!.AnalystUsername, password ?? server.Demo!.AnalystPassword);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return Http.SessionCookie(response);
    }

    private static int StoredSessions(ServerHarness server) =>
        server.Service<DataFolder>().Database.GetCollection("sessions").Count();

    [Test]
    public async Task A_cookie_copied_before_logout_is_refused_after_it()
    {
        var (server, _) = await StartAsync();
        await using var _1 = server;
        var cookie = await SignInAsync(server);
        (await Http.ReplayAsync(server, cookie)).Should().Be(HttpStatusCode.OK);

        using var http = server.HttpClient();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        logout.Headers.Add("Cookie", "esafe_session=" + cookie);
        (await http.SendAsync(logout)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Http.ReplayAsync(server, cookie)).Should().Be(HttpStatusCode.Unauthorized);
        (await Http.ReplayAsync(server, cookie, "/api/v1/incidents")).Should().Be(HttpStatusCode.Unauthorized);
        StoredSessions(server).Should().Be(0);
    }

    [Test]
    public async Task A_password_reset_ends_every_session_of_the_account_on_the_server()
    {
        var (server, _) = await StartAsync();
        await using var _1 = server;
        var (account, password) = await server.Service<Provisioning>().AddAccountAsync("two-tabs", null, Roles.Analyst, null, "test", CancellationToken.None);
        var first = await SignInAsync(server, account.Username, password);
        var second = await SignInAsync(server, account.Username, password);
        var other = await SignInAsync(server);
        StoredSessions(server).Should().Be(3);

        await server.Service<Provisioning>().ResetPasswordAsync(account.Username, "test", CancellationToken.None);

        StoredSessions(server).Should().Be(1, "only the other account's session is left");
        (await Http.ReplayAsync(server, first)).Should().Be(HttpStatusCode.Unauthorized);
        (await Http.ReplayAsync(server, second)).Should().Be(HttpStatusCode.Unauthorized);
        (await Http.ReplayAsync(server, other)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task An_idle_session_ends_and_a_busy_one_lives_until_its_absolute_lifetime()
    {
        var (server, clock) = await StartAsync();
        await using var _1 = server;
        var idle = await SignInAsync(server);
        var busy = await SignInAsync(server);

        clock.Advance(TimeSpan.FromMinutes(20));
        (await Http.ReplayAsync(server, busy)).Should().Be(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(11));
        (await Http.ReplayAsync(server, idle)).Should().Be(HttpStatusCode.Unauthorized, "31 minutes without a request");
        (await Http.ReplayAsync(server, busy)).Should().Be(HttpStatusCode.OK, "its last request was 11 minutes ago");

        // A request every 25 minutes keeps it going, but not past 12 hours from sign-in.
        var elapsed = TimeSpan.FromMinutes(31);
        while (elapsed + TimeSpan.FromMinutes(25) < TimeSpan.FromHours(12))
        {
            clock.Advance(TimeSpan.FromMinutes(25));
            elapsed += TimeSpan.FromMinutes(25);
            (await Http.ReplayAsync(server, busy)).Should().Be(HttpStatusCode.OK, $"{elapsed} after sign-in");
        }

        clock.Advance(TimeSpan.FromHours(12) - elapsed);
        (await Http.ReplayAsync(server, busy)).Should().Be(HttpStatusCode.Unauthorized, "12 hours after sign-in");
    }

    [Test]
    public async Task The_lifetimes_are_configurable()
    {
        var (server, clock) = await StartAsync(o => o with { SessionIdleTimeout = TimeSpan.FromMinutes(5), SessionLifetime = TimeSpan.FromHours(1) });
        await using var _1 = server;
        var cookie = await SignInAsync(server);
        clock.Advance(TimeSpan.FromMinutes(4));
        (await Http.ReplayAsync(server, cookie)).Should().Be(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(5));
        (await Http.ReplayAsync(server, cookie)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Expired_sessions_are_removed_from_the_database()
    {
        var (server, clock) = await StartAsync();
        await using var _1 = server;
        await SignInAsync(server);
        await SignInAsync(server);
        var kept = await SignInAsync(server);
        clock.Advance(TimeSpan.FromMinutes(29));
        (await Http.ReplayAsync(server, kept)).Should().Be(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(2));

        await server.Service<IEnumerable<IHostedService>>().OfType<ExpirySweeper>().Single().SweepAsync(CancellationToken.None);

        StoredSessions(server).Should().Be(1);
        (await Http.ReplayAsync(server, kept)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_database_holds_neither_the_cookie_key_nor_the_ticket_in_the_clear()
    {
        var (server, _) = await StartAsync();
        await using var _1 = server;
        await SignInAsync(server);
        var row = server.Service<DataFolder>().Database.GetCollection("sessions").FindAll().Single();
        row["username"].AsString.Should().Be(server.Demo!.AnalystUsername);
        var ticket = row["ticket"].AsBinary;
        System.Text.Encoding.UTF8.GetString(ticket).Should().NotContain(server.Demo.AnalystUsername);
        row["_id"].AsString.Should().MatchRegex("^[0-9a-f]{64}$");
    }
}
