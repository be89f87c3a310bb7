using eSafe.Contracts.Native;
using eSafe.Incidents;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// A device as an IT admin sets one up: a school key made with <c>school-key new</c>, the host installed
/// and enrolled with the real server; the test then plays the extension over the host's own stdin/stdout.
/// </summary>
public sealed class DeviceUnderTest(string stateDirectory, string profileDirectory)
{
    public const string Account = "Pupil.Twelve@School.Example";

    public string StateDirectory { get; } = stateDirectory;

    public string KeyFile => HostInstallation.SchoolKeyFileFor(StateDirectory);

    public Task<string> InstallAsync(ServerProcess server) =>
        HostInstallation.InstallAsync(profileDirectory, StateDirectory, server.Url, server.Demo.EnrolmentCode);

    public NativeHostProcess Start(TimeSpan? clockAhead = null) => NativeHostProcess.Start(StateDirectory, clockAhead: clockAhead);

    /// <summary>Says hello as the pupil's browser does; the host must be ready.</summary>
    public static async Task HelloAsync(NativeHostProcess host)
    {
        await host.SendAsync(new HelloMessage(NativeProtocol.Version, "0.1.0", Account));
        var reply = (await host.ReceiveAsync()).Should().BeOfType<HelloReply>().Subject;
        reply.Ready.Should().BeTrue(reply.Problem);
        reply.Problem.Should().BeNull();
    }

    /// <summary>One typed threat, its screenshot, and the host's ack: the incident is then in the outbox.</summary>
    /// <param name="clockAhead">How fast the device's clock is: the extension stamps the event by it too.</param>
    public static async Task ThreatAsync(NativeHostProcess host, string eventId, TimeSpan? clockAhead = null)
    {
        await host.SendAsync(new TextMessage(new TextEvent(eventId, 5, "field-" + eventId, TextSources.Typed,
            "https://chat.example.org/room", "Chat", "honestly i want to kill myself tonight",
            DateTimeOffset.UtcNow.AddSeconds(-1) + (clockAhead ?? TimeSpan.Zero), 0)));
        var capture = (await host.ReceiveAsync()).Should().BeOfType<CaptureRequest>().Subject;
        await host.SendAsync(new CaptureReply(capture.RequestId, Jpeg, null));
        (await host.ReceiveAsync()).Should().Be(new AckMessage(eventId, 1));
    }

    public Task<string> StatusAsync() => HostInstallation.StatusAsync(StateDirectory);

    /// <summary>The screenshot the test's extension sends for every capture.</summary>
    public static readonly byte[] Jpeg =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xD9,
    ];
}
