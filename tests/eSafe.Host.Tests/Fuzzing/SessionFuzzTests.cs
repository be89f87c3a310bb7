using System.Text.RegularExpressions;
using eSafe.Contracts.Native;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Fuzzing;

/// <summary>
/// Spoilt messages (and spoilt frames) sent to a whole session: it must never fault or hang. A message it
/// cannot use gets an error; the probe after it is still answered unless the framing itself was broken.
/// </summary>
public sealed partial class SessionFuzzTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);

    // Harmless text only: a threat would wait for a screenshot nobody sends.
    private static readonly string[] Seeds =
    [
        """{"type":"hello","protocol":1,"extensionVersion":"1.0.0","account":"pupil@school.example"}""",
        """{"type":"text","event":{"eventId":"ev-1","tabId":7,"fieldId":"f","source":"typed","url":"https://chat.example.org/","title":"Chat","text":"see you at practice","occurredAt":"2025-03-04T04:59:00Z","localOffsetMinutes":60}}""",
        """{"type":"text","event":{"eventId":"ev-2","tabId":3,"source":"page","url":"http://news.example.org/","text":"the news today","occurredAt":"2025-03-04T04:00:00+01:00","localOffsetMinutes":-300}}""",
        """{"type":"capture-reply","requestId":"r-1","jpeg":"/9j/4AAQ"}""",
        """{"type":"capture-reply","requestId":"r-2","error":"the tab is not visible"}""",
        """{"type":"ack","eventId":"ev-1","incidents":0}""",
        """{"type":"error","message":"m"}""",
    ];

    private static IEnumerable<string> Saved() => FuzzSettings.Corpus("session");

    [TestCaseSource(nameof(Saved))]
    public async Task A_saved_frame_stream_never_faults_the_session(string file) =>
        await RunAsync(await File.ReadAllBytesAsync(file));

    [Test]
    public async Task Seeded_mutations_never_fault_the_session()
    {
        var mutator = new Mutator(FuzzSettings.Seed + 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < FuzzSettings.Iterations(300); i++)
        {
            var seed = Seeds[mutator.Next(Seeds.Length)];
            var input = mutator.Next(4) switch
            {
                0 => mutator.Bytes(Frames.Of(seed)),
                1 => Frames.Of(mutator.Bytes(System.Text.Encoding.UTF8.GetBytes(seed))),
                _ => Frames.Of(mutator.Json(seed)),
            };
            var outcome = await RunAsync(input);
            FuzzSettings.Keep("session", outcome, input, seen, "bin");
        }
    }

    /// <summary>Sends the bytes, then the probe, then ends the input; the outcome, for telling inputs apart.</summary>
    private static async Task<string> RunAsync(byte[] input)
    {
        using var folder = new TemporaryFolder();
        using var enrolment = new TestEnrolment();
        using var outbox = new FileOutbox(folder.Sub("outbox"));
        await using var extension = new ExtensionSide(outbox, enrolment.State, new FixedClock(Now));
        await extension.HelloAsync("pupil@school.example");

        await extension.SendBytesAsync(input);
        await extension.SendRawAsync(MalformedMessages.Probe);
        var answers = await extension.FinishAsync();

        // FinishAsync has checked that the session ended in time; a fault would have been thrown by it.
        extension.Session.IsCompletedSuccessfully.Should().BeTrue();
        var probed = answers.Any(MalformedMessages.IsProbeReply);
        var first = answers.FirstOrDefault(a => !MalformedMessages.IsProbeReply(a));
        var said = first switch
        {
            null => "nothing",
            ErrorMessage e => "error " + Digits().Replace(e.Message.Length > 50 ? e.Message[..50] : e.Message, "#"),
            _ => first.GetType().Name,
        };
        return $"{said}, probe {(probed ? "answered" : "lost with the framing")}";
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
