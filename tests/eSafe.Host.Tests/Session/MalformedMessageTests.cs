using eSafe.Contracts.Native;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Session;

/// <summary>
/// Every message type with every field missing, null, of the wrong type and huge: each gets an error frame
/// (or, for a field the protocol lets the extension leave out, its usual answer), and the session goes on.
/// </summary>
public sealed class MalformedMessageTests : EnrolledDeviceTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);

    private static IEnumerable<MalformedMessage> Cases() => MalformedMessages.All(Now);

    [TestCaseSource(nameof(Cases))]
    public async Task A_spoilt_message_gets_an_error_and_the_session_goes_on(MalformedMessage message)
    {
        await using var extension = new ExtensionSide(Outbox, Enrolment.State, new FixedClock(Now));
        await extension.HelloAsync("pupil@school.example");

        await extension.SendRawAsync(message.Json);
        await extension.SendRawAsync(MalformedMessages.Probe);
        var answers = await AnswersUntilTheProbesReplyAsync(extension);
        extension.Session.IsCompleted.Should().BeFalse("the host keeps running");
        var later = await extension.FinishAsync();

        if (message.Expected == Expected.Error)
        {
            answers.Should().ContainSingle().Which.Should().BeOfType<ErrorMessage>()
                .Which.Message.Length.Should().BeLessThan(1100, "an error frame stays small whatever it quotes");
            later.Should().BeEmpty();
        }
        else
        {
            answers.Concat(later).Should().NotContain(a => a is ErrorMessage);
        }

        Outbox.Pending().Should().BeEmpty();
    }

    /// <summary>What the host said about the spoilt message: everything before its answer to the probe.</summary>
    private static async Task<List<NativeMessage>> AnswersUntilTheProbesReplyAsync(ExtensionSide extension)
    {
        var answers = new List<NativeMessage>();
        while (await extension.ReceiveAsync() is var next && !MalformedMessages.IsProbeReply(next))
        {
            answers.Add(next);
        }

        return answers;
    }
}
