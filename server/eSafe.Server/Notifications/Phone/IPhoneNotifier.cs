namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Places phone alerts through a telephony provider. Twilio's is <see cref="TwilioPhoneNotifier"/>; another provider
/// implements this and registers itself instead. Every failure is a <see cref="PhoneDeliveryException"/>
/// (cancellation excepted), which says whether trying again can help.
/// </summary>
public interface IPhoneNotifier
{
    /// <summary>Starts a call that speaks <see cref="PhoneCall.Message"/> and asks for a key press; returns the provider's call ID.</summary>
    Task<string> CallAsync(PhoneCall phoneCall, CancellationToken cancellationToken);

    /// <summary>Sends a text message; returns the provider's message ID.</summary>
    Task<string> SendTextAsync(PhoneText text, CancellationToken cancellationToken);
}

/// <summary>A call to <paramref name="To"/> (E.164) that speaks <paramref name="Message"/>; pressing 1 acknowledges <paramref name="AcknowledgeToken"/>.</summary>
public sealed record PhoneCall(string To, string Message, string AcknowledgeToken);

/// <summary>A text message to <paramref name="To"/> (E.164).</summary>
public sealed record PhoneText(string To, string Body);
