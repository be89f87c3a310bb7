using System.Security.Cryptography;
using eSafe.Contracts.Http;
using eSafe.Host.Delivery;
using eSafe.Host.Libraries;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;
using eSafe.Server.Storage;

namespace eSafe.Host.Tests.Delivery;

/// <summary>The host's heartbeat against the real server on loopback, through the host's own generated client.</summary>
public sealed class HeartbeatSenderTests
{
    [Test]
    public async Task The_heartbeat_carries_the_extensions_version_the_outbox_and_the_libraries_and_the_server_keeps_it()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = new DeviceApiClient(server.Url);
        var device = await client.Api.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-09", "0.1.0"), CancellationToken.None);
        using var state = new TemporaryFolder();
        using var outbox = new FileOutbox(state.Sub("outbox"));
        using var someKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        for (var i = 0; i < 2; i++)
        {
            await outbox.AddAsync(IncidentSealer.Seal("{}"u8, IncidentId.New(DateTimeOffset.UtcNow.AddSeconds(i)),
                new ServerSealingKey("k1", someKey.ExportSubjectPublicKeyInfo())), CancellationToken.None);
        }

        var matcher = new LiveMatcher(LibrarySet.BuiltIn());
        var sender = new HeartbeatSender(client.Api, device.DeviceToken, outbox, matcher, () => "4.5.6", new HostLog(state.Sub("host.log")));

        var next = await sender.TrySendAsync(CancellationToken.None);

        next.Should().Be(TimeSpan.FromMinutes(5), "the server asks for one every 5 minutes by default");
        var kept = await server.Service<IFleetStore>().GetAsync(device.DeviceId, CancellationToken.None);
        kept.Should().NotBeNull();
        (kept!.Mode, kept.ExtensionVersion, kept.HostVersion, kept.Backlog, kept.HostMissing).Should().Be(("native", "4.5.6", HostInfo.Version, 2, false));
        (kept.GlobalLibraryVersion, kept.SchoolLibraryVersion).Should().Be((matcher.Libraries.Global.Version, null));
    }

    [Test]
    public async Task A_server_that_cannot_be_reached_is_logged_and_tried_again_later()
    {
        using var client = new DeviceApiClient(new Uri("http://127.0.0.1:9/"));
        using var state = new TemporaryFolder();
        using var outbox = new FileOutbox(state.Sub("outbox"));
        var sender = new HeartbeatSender(client.Api, "dev-x.token", outbox, new LiveMatcher(LibrarySet.BuiltIn()), () => null,
            new HostLog(state.Sub("host.log")));

        (await sender.TrySendAsync(CancellationToken.None)).Should().BeNull();
        sender.Current().ExtensionVersion.Should().Be(HeartbeatSender.UnknownExtension);
        File.ReadAllText(state.Sub("host.log")).Should().Contain("heartbeat not sent");
    }

    [Test]
    public async Task A_refused_connection_as_the_host_stops_ends_the_run_quietly()
    {
        using var state = new TemporaryFolder();
        using var outbox = new FileOutbox(state.Sub("outbox"));
        using var stop = new CancellationTokenSource();
        var api = new FakeDeviceApi
        {
            Heartbeat = async () =>
            {
                await stop.CancelAsync();
                throw new HttpRequestException("Connection refused (127.0.0.1:9)");
            },
        };
        var sender = new HeartbeatSender(api, "dev-x.token", outbox, new LiveMatcher(LibrarySet.BuiltIn()), () => "1.0.0",
            new HostLog(state.Sub("host.log")));

        var run = () => sender.RunAsync(stop.Token);

        await run.Should().NotThrowAsync();
        File.ReadAllText(state.Sub("host.log")).Should().Contain("heartbeat not sent");
    }
}
