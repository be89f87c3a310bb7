using System.Net;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>Two servers on one PostgreSQL database, each with its own copy of the keys folder: what one signs in, the other serves.</summary>
public sealed class SharedDatabaseServerTests
{
    [Test]
    public async Task A_console_cookie_from_one_server_is_good_on_the_other_and_a_logout_on_either_ends_it()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var keysA = ServerHarness.NewDataDirectory();
        var keysB = ServerHarness.NewDataDirectory();
        try
        {
            await using var a = await ServerHarness.StartAsync(keysDirectory: keysA, configure: o => o with { Database = database });
            // The second machine's copy of the keys, without the cookie keys (those are in the database now).
            foreach (var file in Directory.GetFiles(keysA))
            {
                File.Copy(file, Path.Combine(keysB, Path.GetFileName(file)));
            }

            Directory.GetFiles(Path.Combine(keysA, "data-protection")).Should().BeEmpty("the cookie keys are kept in the database");
            await using var b = await ServerHarness.StartAsync(demo: false, keysDirectory: keysB, configure: o => o with { Database = database });

            using var http = a.HttpClient();
            using var login = await Http.LoginAsync(http, a.Demo!.AnalystUsername, a.Demo.AnalystPassword);
            login.StatusCode.Should().Be(HttpStatusCode.OK);
            var cookie = Http.SessionCookie(login);

            (await Http.ReplayAsync(b, cookie)).Should().Be(HttpStatusCode.OK);
            (await Http.ReplayAsync(b, cookie, "/api/v1/incidents")).Should().Be(HttpStatusCode.OK);
            using (var logout = await http.PostAsync("/api/v1/auth/logout", null))
            {
                logout.IsSuccessStatusCode.Should().BeTrue();
            }

            (await Http.ReplayAsync(b, cookie)).Should().Be(HttpStatusCode.Unauthorized, "the session ended in the shared store");
        }
        finally
        {
            Directory.Delete(keysA, recursive: true);
            Directory.Delete(keysB, recursive: true);
        }
    }
}
