using eSafe.Contracts.Native;
using eSafe.Host.Session;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Tests.Session;

/// <summary>
/// Chrome starts a host process per port. An event stored as an incident but not acked (the port closed while
/// the host waited for the screenshot) is resent to the next process, which must recognise it.
/// </summary>
public sealed class RepeatAcrossSessionsTests : EnrolledDeviceTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);
    private const string Threat = "honestly i want to kill myself tonight";

    [Test]
    public async Task An_event_stored_but_not_acked_is_recognised_by_the_next_host_process()
    {
        await using (var first = Session(Outbox))
        {
            await first.HelloAsync("pupil@school.example");
            await first.SendAsync(Text("ev-1"));
            await first.ExpectAsync<CaptureRequest>();
            // The port closes before the screenshot: the host stores the incident without one, and cannot ack.
            await first.EndInputAsync();
            await first.WaitForEndAsync(ExtensionSide.Patience);
        }

        Outbox.Pending().Should().ContainSingle("the first process stored the incident");
        File.Exists(Folder.Sub("repeats.bin")).Should().BeTrue();

        await using var second = Session(Outbox);
        await second.HelloAsync("pupil@school.example");
        await second.SendAsync(Text("ev-1"));

        (await second.ReceiveAsync()).Should().Be(new AckMessage("ev-1", 0), "the next process knows the hit and asks for no screenshot");
        Outbox.Pending().Should().ContainSingle();
        (await second.FinishAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task An_incident_that_could_not_be_stored_is_made_from_the_resend()
    {
        var outbox = new FailingOnceOutbox(Outbox);
        await using var extension = Session(outbox);
        await extension.HelloAsync("pupil@school.example");

        await extension.SendAsync(Text("ev-1"));
        await extension.ReplyToCaptureAsync();
        var error = await extension.ExpectAsync<ErrorMessage>();
        error.EventId.Should().BeNull("an error naming the event would make the extension drop it");
        error.Message.Should().Contain("ev-1").And.Contain("No space left on device").And.Contain("send it again");
        await extension.SendAsync(Text("ev-1"));
        await extension.ReplyToCaptureAsync();

        (await extension.ReceiveAsync()).Should().Be(new AckMessage("ev-1", 1), "only the resend was stored, and acked");
        Outbox.Pending().Should().ContainSingle();
        File.Exists(Folder.Sub("repeats.bin")).Should().BeTrue();
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    private ExtensionSide Session(IIncidentOutbox outbox) =>
        new(outbox, Enrolment.State, new FixedClock(Now), repeats: new RepeatStateFile(Folder.Sub("repeats.bin"), Folder.Sub("repeats.key"), new HostLog(null)),
            userIdKey: Enrolment.UserIdKey);

    private static TextMessage Text(string eventId) =>
        new(new TextEvent(eventId, 42, "message-box", TextSources.Typed, "https://chat.example.org/room", "Chat", Threat, Now.AddMinutes(-1), 0));

    /// <summary>A disk that is full once.</summary>
    private sealed class FailingOnceOutbox(IIncidentOutbox inner) : IIncidentOutbox
    {
        private bool _failed;

        public Task AddAsync(SealedIncident incident, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("No space left on device");
            }

            return inner.AddAsync(incident, cancellationToken);
        }
    }
}
