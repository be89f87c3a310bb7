using eSafe.Contracts.Native;
using eSafe.EndToEnd.Tests.Support;
using eSafe.Incidents;

namespace eSafe.EndToEnd.Tests.Deployment;

/// <summary>
/// Two Chromium profiles of one OS account start two host processes on one state folder, and both keep the repeat
/// filter's hits in its one file (repeats.bin). The real host binary and server: round after round two hosts take a
/// threat each at the same moment, each saving after its incident, and end; then a third host is sent every event again. A hit lost by one host
/// overwriting the other's save would come back as a new incident (a screenshot request); damage would show in the log.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SharedRepeatStateTests
{
    private const int Rounds = 30;

    [Test]
    [CancelAfter(240_000)]
    public async Task Two_hosts_of_one_account_saving_the_repeat_filter_at_once_lose_none_of_each_others_hits()
    {
        using var folder = new TemporaryFolder("esafe-repeats");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        var device = new DeviceUnderTest(folder.Sub("state"), folder.Sub("profile"));
        await device.InstallAsync(server);

        // Chrome starts a host a port and it ends with the port: each round two hosts start, take a threat each at the same
        // moment (so their saves overlap) and end. A save that overwrote the other's is then lost for good.
        for (var round = 0; round < Rounds; round++)
        {
            await using var first = device.Start();
            await using var second = device.Start();
            await Task.WhenAll(DeviceUnderTest.HelloAsync(first), DeviceUnderTest.HelloAsync(second));
            await Task.WhenAll(DeviceUnderTest.ThreatAsync(first, $"race-a-{round}"), DeviceUnderTest.ThreatAsync(second, $"race-b-{round}"));
            (await Task.WhenAll(first.CloseAsync(), second.CloseAsync())).Should().AllBeEquivalentTo(0);
        }

        var state = device.StateDirectory;
        Directory.EnumerateFiles(state, "repeats.bin*.tmp").Should().BeEmpty("every save renamed its whole file into place");
        var remade = new List<string>();
        await using (var third = device.Start())
        {
            await DeviceUnderTest.HelloAsync(third);
            foreach (var eventId in new[] { "a", "b" }.SelectMany(h => Enumerable.Range(0, Rounds).Select(n => $"race-{h}-{n}")))
            {
                if (await ResendAsync(third, eventId))
                {
                    remade.Add(eventId);
                }
            }

            (await third.CloseAsync()).Should().Be(0);
        }

        var log = await File.ReadAllTextAsync(Path.Combine(state, "host.log"));
        remade.Should().BeEmpty("the file holds every hit both hosts saved, so a resend makes nothing new; the hosts' log:\n{0}",
            string.Join("\n", log.Split("\n").Take(14)));
        log.Should().NotContain("cannot be used").And.NotContain("is damaged");
        TestContext.Out.WriteLine($"{2 * Rounds} hits saved by two hosts at once; {remade.Count} made again after a resend: {string.Join(", ", remade)}");
    }

    /// <summary>Sends the event again as the extension would after a lost ack; true when the host made a new incident of it.</summary>
    private static async Task<bool> ResendAsync(NativeHostProcess host, string eventId)
    {
        await host.SendAsync(new TextMessage(new TextEvent(eventId, 5, "field-" + eventId, TextSources.Typed,
            "https://chat.example.org/room", "Chat", "honestly i want to kill myself tonight", DateTimeOffset.UtcNow.AddSeconds(-1), 0)));
        var reply = await host.ReceiveAsync();
        if (reply is CaptureRequest capture)
        {
            await host.SendAsync(new CaptureReply(capture.RequestId, [0xFF, 0xD8, 0xFF, 0xD9], null));
            (await host.ReceiveAsync()).Should().Be(new AckMessage(eventId, 1));
            return true;
        }

        reply.Should().Be(new AckMessage(eventId, 0));
        return false;
    }
}
