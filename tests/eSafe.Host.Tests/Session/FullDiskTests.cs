using eSafe.Contracts.Native;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Session;

/// <summary>The outbox on a real, full disk (a tmpfs of 64 KB): the event is reported, kept by the extension, and the host goes on.</summary>
public sealed class FullDiskTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_full_disk_gets_an_error_without_the_events_ID_and_the_resend_is_stored_once_space_is_back()
    {
        using var disk = TinyDisk.Mount(64);
        using var enrolment = new TestEnrolment();
        using var outbox = new FileOutbox(disk.Sub("outbox"));
        await using var extension = new ExtensionSide(outbox, enrolment.State, new FixedClock(Now));
        var threat = new TextMessage(new TextEvent("ev-1", 42, "box", TextSources.Typed, "https://chat.example.org/", "Chat",
            "honestly i want to kill myself tonight", Now.AddMinutes(-1), 0));
        await extension.HelloAsync("pupil@school.example");
        var filler = disk.Fill();

        await extension.SendAsync(threat);
        await extension.ReplyToCaptureAsync();
        var error = await extension.ExpectAsync<ErrorMessage>();
        outbox.Pending().Should().BeEmpty();
        File.Delete(filler);
        await extension.SendAsync(threat);
        await extension.ReplyToCaptureAsync();

        error.EventId.Should().BeNull("an error naming the event would make the extension drop it from its backlog");
        error.Message.Should().Contain("ev-1").And.Contain("send it again");
        (await extension.ReceiveAsync()).Should().Be(new AckMessage("ev-1", 1));
        outbox.Pending().Should().ContainSingle();
        Directory.GetFiles(disk.Sub("outbox"), "*.tmp").Should().BeEmpty("a failed write leaves no temporary file behind");
        (await extension.FinishAsync()).Should().BeEmpty();
    }
}
