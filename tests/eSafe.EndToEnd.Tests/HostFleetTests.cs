using System.Text.Json.Nodes;
using eSafe.Contracts.Http;
using eSafe.Contracts.Native;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>
/// The published host against the real server process: its heartbeat reaches the console's Devices view with what the
/// extension's hello said, and after <c>esafe-server keys rotate --which sealing</c> new incidents are sealed to the new key
/// while an incident already waiting under the old key is still delivered.
/// </summary>
[TestFixture]
public sealed class HostFleetTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task The_hosts_heartbeat_reaches_the_devices_view_with_the_extensions_version_and_the_libraries()
    {
        using var folder = new TemporaryFolder("esafe-heartbeat");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        (await device.InstallAsync(server)).Should().Contain("Enrolled");
        var analyst = await server.LoginAsAnalystAsync();
        var versions = await analyst.GetLibraryAsync(CancellationToken.None);

        await using var host = device.Start();
        await host.SendAsync(new HelloMessage(NativeProtocol.Version, "7.6.5", DeviceUnderTest.Account));
        (await host.ReceiveAsync()).Should().BeOfType<HelloReply>().Which.Ready.Should().BeTrue();

        DeviceHealth? health = null;
        for (var i = 0; i < 120 && health?.LastSeen is null; i++)
        {
            await Task.Delay(500);
            health = (await analyst.GetFleetAsync(server.Demo.SchoolId, CancellationToken.None)).Devices.Single();
        }

        health!.LastSeen.Should().NotBeNull("the host sends its first heartbeat once the extension has said hello");
        (health.Mode, health.ExtensionVersion, health.HostMissing, health.Backlog).Should().Be((DeviceModes.Native, "7.6.5", false, 0));
        health.HostVersion.Should().NotBeNullOrEmpty();
        health.GlobalLibraryVersion.Should().NotBeNullOrEmpty();
        health.GlobalLibraryVersion.Should().Be(versions.Version, "the host fetched the server's library before or soon after");
        (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task After_the_servers_sealing_key_is_rotated_new_incidents_are_sealed_to_it_and_old_ones_still_deliver()
    {
        using var folder = new TemporaryFolder("esafe-rotation");
        var data = folder.Sub("server-data");
        var device = new DeviceUnderTest(folder.Sub("host-state"), folder.Sub("profile"));
        Uri url;
        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60)))
        {
            url = server.Url;
            (await device.InstallAsync(server)).Should().Contain("Enrolled");
        }

        // Server down: the first incident waits in the outbox, sealed to the key the device enrolled with.
        await ThreatWhileServerIsDownAsync(device, "ev-old");
        WaitingKeyIds(device).Should().Equal("k1");

        (await ServerProcess.RunCommandAsync(data, "keys", "rotate", "--which", "sealing")).Should().Contain("k2");
        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60), url: url))
        {
            await using var host = device.Start();
            await DeviceUnderTest.HelloAsync(host);
            var analyst = await server.LoginAsAnalystAsync();
            (await Eventually.WithinAsync(async () => EnrolledKeyId(device) == "k2"
                && (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count == 1, seconds: 90))
                .Should().BeTrue("the host learns k2 from the library check, and the incident sealed to k1 is still delivered");
            (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
        }

        (await File.ReadAllTextAsync(Path.Combine(device.StateDirectory, "host.log"))).Should().Contain("sealing key is now k2 (was k1)");
        await ThreatWhileServerIsDownAsync(device, "ev-new");
        WaitingKeyIds(device).Should().Equal(["k2"], "a new incident is sealed to the server's current key");

        await using (var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60), url: url))
        {
            await using var host = device.Start();
            await DeviceUnderTest.HelloAsync(host);
            var analyst = await server.LoginAsAnalystAsync();
            (await Eventually.WithinAsync(async () =>
                (await analyst.ListIncidentsAsync(new() { SchoolId = server.Demo.SchoolId }, CancellationToken.None)).Items.Count == 2, seconds: 90))
                .Should().BeTrue("the server opens the incident sealed to k2");
            (await host.CloseAsync()).Should().Be(0);
        }

        (await device.StatusAsync()).Should().Contain("outbox: 0 waiting").And.Contain("rejected by the server: 0");
    }

    private static async Task ThreatWhileServerIsDownAsync(DeviceUnderTest device, string eventId)
    {
        await using var host = device.Start();
        await DeviceUnderTest.HelloAsync(host);
        await DeviceUnderTest.ThreatAsync(host, eventId);
        (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
    }

    private static string? EnrolledKeyId(DeviceUnderTest device) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(device.StateDirectory, "enrolment.json")))?["serverKeyId"]?.GetValue<string>();

    // The outbox keeps version 1 envelopes as JSON and version 2 (once the server offers it) as their binary body.
    private static List<string> WaitingKeyIds(DeviceUnderTest device)
    {
        var outbox = Path.Combine(device.StateDirectory, "outbox");
        return [.. Directory.GetFiles(outbox, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!["keyId"]!.GetValue<string>()),
            .. Directory.GetFiles(outbox, "*.esie").Select(f => eSafe.Incidents.BinaryEnvelope.Parse(File.ReadAllBytes(f), int.MaxValue, out var problem)?.KeyId
                ?? throw new InvalidDataException($"{Path.GetFileName(f)} is not a binary envelope: {problem}"))];
    }
}
