using eSafe.Contracts.Native;
using eSafe.EndToEnd.Tests.Support;
using eSafe.Host.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>The published host under faults: spoilt messages, damaged files, a server that goes away.</summary>
[TestFixture]
public sealed class HostFaultTests
{
    [Test]
    public async Task Every_spoilt_message_gets_an_error_and_the_real_host_keeps_running()
    {
        using var state = new TemporaryFolder("esafe-host-state");
        await using var host = NativeHostProcess.Start(state.Path);
        await host.SendAsync(new HelloMessage(NativeProtocol.Version, "1.0.0", null));
        (await host.ReceiveAsync()).Should().BeOfType<HelloReply>();
        var refused = 0;

        // One process for the whole table: every message after the first must still be answered.
        foreach (var message in MalformedMessages.All(DateTimeOffset.UtcNow))
        {
            await host.SendRawAsync(message.Json);
            await host.SendRawAsync(MalformedMessages.Probe);
            var answers = new List<NativeMessage>();
            while (await host.ReceiveAsync() is var next && !MalformedMessages.IsProbeReply(next))
            {
                answers.Add(next);
            }

            if (message.Expected == Expected.Error)
            {
                answers.Should().ContainSingle(message.Name).Which.Should().BeOfType<ErrorMessage>();
                refused++;
            }
            else
            {
                answers.Should().NotContain(a => a is ErrorMessage, message.Name);
            }
        }

        refused.Should().BeGreaterThan(100);
        (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_server_outage_keeps_the_outbox_and_everything_is_delivered_once_when_it_is_back()
    {
        using var folder = new TemporaryFolder("esafe-outage");
        var data = folder.Sub("server-data");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        Uri url;
        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60)))
        {
            url = server.Url;
            (await device.InstallAsync(server)).Should().Contain("Enrolled");
        }

        // The server is down: incidents wait in the outbox.
        await using (var host = device.Start())
        {
            await DeviceUnderTest.HelloAsync(host);
            foreach (var i in Enumerable.Range(1, 3))
            {
                await DeviceUnderTest.ThreatAsync(host, $"ev-{i}");
            }

            (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
        }

        (await device.StatusAsync()).Should().Contain("outbox: 3 waiting").And.Contain("rejected by the server: 0");

        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60), url: url))
        {
            await using var host = device.Start();
            await DeviceUnderTest.HelloAsync(host);
            var analyst = await server.LoginAsAnalystAsync();
            var delivered = await Eventually.WithinAsync(async () =>
                (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count >= 3);

            delivered.Should().BeTrue("the host delivers its outbox once the server is back");
            (await host.CloseAsync()).Should().Be(0);
            (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Should().HaveCount(3);
        }

        (await device.StatusAsync()).Should().Contain("outbox: 0 waiting");
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Killing_the_host_with_sigkill_while_it_uploads_loses_and_duplicates_nothing()
    {
        const int Incidents = 20;
        using var folder = new TemporaryFolder("esafe-kill");
        var data = folder.Sub("server-data");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        Uri url;
        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60)))
        {
            url = server.Url;
            await device.InstallAsync(server);
        }

        await using (var host = device.Start())
        {
            await DeviceUnderTest.HelloAsync(host);
            foreach (var i in Enumerable.Range(1, Incidents))
            {
                await DeviceUnderTest.ThreatAsync(host, $"ev-{i}");
            }

            host.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60), url: url))
        {
            var analyst = await server.LoginAsAnalystAsync();
            // The demo school's own made-up incidents come from no device ("dev-demo"): only this host's count.
            async Task<List<string>> Delivered() => [.. (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId, Limit = 100 },
                CancellationToken.None)).Items.Where(i => i.DeviceId != "dev-demo").Select(i => i.Id)];
            async Task<int> OnServer() => (await Delivered()).Count;

            // Each host starts delivering at once; kill -9 it while the outbox drains, a few times over.
            var random = new Random(7);
            var kills = 0;
            for (var round = 0; round < 10 && await OnServer() < Incidents; round++)
            {
                await using var host = device.Start();
                await Task.Delay(random.Next(20, 150));
                host.Kill();
                kills++;
                TestContext.Out.WriteLine($"after kill {kills}: {await OnServer()} of {Incidents} on the server");
            }

            await using (var last = device.Start())
            {
                (await Eventually.WithinAsync(async () => await OnServer() >= Incidents)).Should().BeTrue("every incident arrives in the end");
                (await last.CloseAsync()).Should().Be(0);
            }

            TestContext.Out.WriteLine($"host killed {kills} times while delivering");
            var ids = await Delivered();
            ids.Should().HaveCount(Incidents).And.OnlyHaveUniqueItems("nothing is lost and nothing duplicated");
        }

        (await device.StatusAsync()).Should().Contain("outbox: 0 waiting");
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_damaged_outbox_file_is_set_aside_shown_by_status_and_the_rest_is_delivered()
    {
        using var folder = new TemporaryFolder("esafe-damaged");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        await device.InstallAsync(server);
        var outbox = Path.Combine(device.StateDirectory, "outbox");
        Directory.CreateDirectory(outbox);
        await File.WriteAllBytesAsync(Path.Combine(outbox, "01JNFRCW38737YX335HCQCYBRR.json"), []);

        await using (var host = device.Start())
        {
            await DeviceUnderTest.HelloAsync(host);
            await DeviceUnderTest.ThreatAsync(host, "ev-1");
            var analyst = await server.LoginAsAnalystAsync();
            (await Eventually.WithinAsync(async () => (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count == 1))
                .Should().BeTrue();
            host.HasExited.Should().BeFalse("a damaged file never ends the host");
            (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
        }

        var status = await device.StatusAsync();
        status.Should().Contain("outbox: 0 waiting").And.Contain("damaged files set aside: 1")
            .And.Contain("01JNFRCW38737YX335HCQCYBRR: the file is empty");
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task The_servers_data_folder_holds_nothing_that_links_a_user_ID_to_an_email()
    {
        using var folder = new TemporaryFolder("esafe-pseudonym");
        var data = folder.Sub("server-data");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        string userId;
        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60)))
        {
            await device.InstallAsync(server);
            await using var host = device.Start();
            await DeviceUnderTest.HelloAsync(host);
            await DeviceUnderTest.ThreatAsync(host, "ev-1");
            var analyst = await server.LoginAsAnalystAsync();
            (await Eventually.WithinAsync(async () => (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count == 1))
                .Should().BeTrue();
            var summary = (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Single();
            var detail = await analyst.GetIncidentAsync(summary.Id, CancellationToken.None);
            userId = detail.UserId;
            System.Text.Json.JsonSerializer.Serialize(detail).Should().NotContainEquivalentOf("pupil.twelve", "what the server decrypts names no pupil");
            (await host.CloseAsync()).Should().Be(0);
        }

        // The school, with its own key and roster, finds the pupil; the server's folder cannot.
        var roster = folder.Sub("pupils.csv");
        await File.WriteAllTextAsync(roster, "name,email\nPupil Twelve,pupil.twelve@school.example\nSomeone Else,else@school.example\n");
        await HostInstallation.RunCommandAsync(device.StateDirectory, "roster", "--key-file", device.KeyFile, "--input", roster, "--output", folder.Sub("ids.csv"));
        (await File.ReadAllLinesAsync(folder.Sub("ids.csv"))).Should().Contain($"Pupil Twelve,pupil.twelve@school.example,{userId}");

        var key = SchoolKey(device.KeyFile);
        var needles = new Dictionary<string, byte[]>
        {
            ["the key"] = key,
            ["the key in base64"] = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)),
            ["the key in hex"] = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key)),
            ["the email"] = System.Text.Encoding.UTF8.GetBytes("pupil.twelve@school.example"),
            ["the email as typed"] = System.Text.Encoding.UTF8.GetBytes(DeviceUnderTest.Account),
            ["the email in UTF-16"] = System.Text.Encoding.Unicode.GetBytes("pupil.twelve@school.example"),
            ["the pupil's name"] = System.Text.Encoding.UTF8.GetBytes("Pupil Twelve"),
        };
        var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var (what, needle) in needles)
            {
                bytes.AsSpan().IndexOf(needle).Should().Be(-1, $"{what} must not be in the server's {Path.GetRelativePath(data, file)}");
            }
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_device_clock_15_minutes_fast_never_puts_an_incident_in_rejected()
    {
        if (!File.Exists(NativeHostProcess.FakeTime))
        {
            Assert.Ignore("needs Debian's faketime (apt-get install faketime) to run the host with a fast clock");
        }

        var ahead = TimeSpan.FromMinutes(15);
        using var folder = new TemporaryFolder("esafe-skew");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        await device.InstallAsync(server);
        var analyst = await server.LoginAsAnalystAsync();

        string errors;
        await using (var host = device.Start(ahead))
        {
            await DeviceUnderTest.HelloAsync(host);
            await DeviceUnderTest.ThreatAsync(host, "ev-1", ahead);
            // The server has it (it accepts and flags the skew), or refused it for now and the host keeps it.
            await Eventually.WithinAsync(async () => (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count == 1, seconds: 10);
            (await host.CloseAsync()).Should().Be(0);
            errors = await host.ErrorsAsync();
        }

        var onServer = (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count;
        var status = await device.StatusAsync();
        TestContext.Out.WriteLine($"on the server: {onServer}\n{status}");
        status.Should().Contain("rejected by the server: 0", "a clock that can be fixed is no reason to give an incident up");
        if (onServer == 0)
        {
            status.Should().Contain("outbox: 1 waiting");
            errors.Should().Contain("refused for now").And.Contain("occurredAt");
        }
        else
        {
            status.Should().Contain("outbox: 0 waiting");
        }
    }

    private static byte[] SchoolKey(string keyFile) =>
        Convert.FromBase64String(File.ReadAllLines(keyFile).First(l => l.Length > 0 && !l.StartsWith('#')));
}
