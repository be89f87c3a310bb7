using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>
/// A full disk, for real: the data folder (or a PostgreSQL server's folder of screenshots) on a small tmpfs that the test mounts (it runs as root; without the
/// right to mount it is skipped, saying why). Issue 9: after one "disk full" error the server used to answer 500
/// to everything until restarted.
/// </summary>
[NonParallelizable]
public sealed class DiskFullTests
{
    private string _mount = null!;

    [SetUp]
    public void MountTmpfs()
    {
        _mount = Directory.CreateTempSubdirectory("esafe-disk-full-").FullName;
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", "size=24m,mode=700", "esafe-test", _mount);
        if (exit != 0)
        {
            Directory.Delete(_mount);
            Assert.Ignore($"This test mounts a small tmpfs to fill it, and mount was refused here (exit {exit}: {error.Trim()}); run it as root.");
        }
    }

    [TearDown]
    public void Unmount()
    {
        Run("umount", "-l", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    [Test]
    public async Task A_full_disk_gets_503_to_devices_and_the_server_recovers_by_itself_once_there_is_room_losing_nothing()
    {
        var data = Path.Combine(_mount, "data");
        var filler = Path.Combine(_mount, "filler");
        Incident before, during, after;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            var device = await server.EnrolAsync();
            before = TestIncidents.New(device);
            (await server.UploadAsync(device, before)).StatusCode.Should().Be(HttpStatusCode.OK);

            Fill(filler);
            during = TestIncidents.New(device);
            using (var refused = await server.UploadAsync(device, during))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
                refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
                refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                (await refused.Content.ReadAsStringAsync()).Should().Contain("outbox");
            }

            // Everything else either works or says clearly that storage is the trouble: never a bare 500.
            using (var http = server.HttpClient())
            {
                using var login = await http.PostAsJsonAsync("/api/v1/auth/login",
                    new LoginRequest(server.Demo!.AnalystUsername, server.Demo.AnalystPassword), ContractsJson.Default.LoginRequest);
                login.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
                if (login.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    (await login.Content.ReadAsStringAsync()).Should().Contain("cannot store anything just now");
                }
            }

            using (var stillFull = await server.UploadAsync(device, during))
            {
                stillFull.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the disk is still full");
            }

            File.Delete(filler);
            var recovered = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                await Task.Delay(200);
                using var retry = await server.UploadAsync(device, during);
                status = retry.StatusCode;
            }
            while (status != HttpStatusCode.OK && recovered.Elapsed < TimeSpan.FromSeconds(20));

            status.Should().Be(HttpStatusCode.OK, "the server recovers by itself once there is room");
            TestContext.Out.WriteLine($"Recovered {recovered.ElapsedMilliseconds} ms after space came back.");
            after = TestIncidents.New(device);
            (await server.UploadAsync(device, after)).StatusCode.Should().Be(HttpStatusCode.OK);
            var analyst = await server.SignedInAsync();
            foreach (var incident in new[] { before, during, after })
            {
                (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
            }
        }

        // And after a restart: every acknowledged incident is there, once.
        await using (var restarted = await ServerHarness.StartAsync(data))
        {
            var store = restarted.Service<IIncidentStore>();
            (await store.CountAsync(CancellationToken.None)).Should().Be(3);
            foreach (var incident in new[] { before, during, after })
            {
                (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
            }
        }

        // LiteDB finalizes what a failed engine left open on the GC's thread: that must not end the process (it once did).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Test]
    public async Task A_full_folder_of_screenshots_gets_503_to_devices_and_a_PostgreSQL_server_recovers_by_itself_losing_nothing()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var data = ServerHarness.NewDataDirectory();
        var filler = Path.Combine(_mount, "filler");
        try
        {
            await using var server = await ServerHarness.StartAsync(data,
                configure: o => o with { Database = database, ScreenshotsDirectory = Path.Combine(_mount, "screenshots") });
            var device = await server.EnrolAsync();
            var before = TestIncidents.New(device);
            (await server.UploadAsync(device, before)).StatusCode.Should().Be(HttpStatusCode.OK);

            Fill(filler);
            var during = TestIncidents.New(device);
            using (var refused = await server.UploadAsync(device, during))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
                (await refused.Content.ReadAsStringAsync()).Should().Contain("outbox");
            }

            File.Delete(filler);
            HttpStatusCode status;
            var recovered = Stopwatch.StartNew();
            do
            {
                await Task.Delay(200);
                using var retry = await server.UploadAsync(device, during);
                status = retry.StatusCode;
            }
            while (status != HttpStatusCode.OK && recovered.Elapsed < TimeSpan.FromSeconds(20));

            status.Should().Be(HttpStatusCode.OK, "the server recovers by itself once there is room");
            var store = server.Service<IIncidentStore>();
            (await store.CountAsync(CancellationToken.None)).Should().Be(2);
            foreach (var incident in new[] { before, during })
            {
                (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    // Writes until the file system refuses even one more byte.
    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var size in new[] { 1 << 20, 4096, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true)
                {
                    file.Write(chunk);
                }
            }
            catch (IOException)
            {
                // This size no longer fits: go on with a smaller one.
            }
        }
    }

    private static (int Exit, string Error) Run(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
