using Twilio.TwiML;
using Twilio.TwiML.Voice;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace eSafe.Server.Notifications.Phone;

/// <summary>What an alert call says (TwiML), in British English: the message twice, then one key to acknowledge.</summary>
public static class AlertTwiml
{
    /// <summary>Twilio takes at most this much inline TwiML for a call.</summary>
    public const int MaxCallTwimlLength = 4000;

    public const string AskForKey = "Press 1 to acknowledge this alert.";
    public const string NoKeyPressed = "No key was pressed, so the alert is still open. Goodbye.";
    public const string Acknowledged = "Thank you. The alert is acknowledged.";
    public const string AlreadyAcknowledged = "This alert was already acknowledged.";
    public const string NotKnown = "This alert is not known.";

    /// <summary>The call: the message, a pause, the message again, then a one-digit prompt that posts to <paramref name="action"/>.</summary>
    public static string Call(string message, Uri action)
    {
        var response = new VoiceResponse();
        response.Append(Speak(message));
        response.Pause(length: 1);
        response.Append(Speak(message));
        response.Append(Prompt(action));
        response.Append(Speak(NoKeyPressed));
        return response.ToString();
    }

    /// <summary>Another key than 1: ask again.</summary>
    public static string AskAgain(Uri action)
    {
        var response = new VoiceResponse();
        response.Append(Prompt(action));
        response.Append(Speak(NoKeyPressed));
        return response.ToString();
    }

    /// <summary>The answer after a key press was recorded (or not), then hang up.</summary>
    public static string Reply(AcknowledgeOutcome outcome)
    {
        var response = new VoiceResponse();
        response.Append(Speak(outcome switch
        {
            AcknowledgeOutcome.Acknowledged => Acknowledged,
            AcknowledgeOutcome.AlreadyAcknowledged => AlreadyAcknowledged,
            _ => NotKnown,
        }));
        response.Hangup();
        return response.ToString();
    }

    private static Gather Prompt(Uri action)
    {
        var gather = new Gather(numDigits: 1, action: action, method: TwilioHttpMethod.Post, timeout: 10);
        gather.Append(Speak(AskForKey));
        return gather;
    }

    private static Say Speak(string text) => new(text, language: Say.LanguageEnum.EnGb);
}
