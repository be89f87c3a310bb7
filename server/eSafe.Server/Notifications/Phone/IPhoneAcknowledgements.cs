namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Where an alert's acknowledgement lands (implemented by the escalation engine). The phone webhooks call it;
/// when it is not registered they answer 503.
/// </summary>
public interface IPhoneAcknowledgements
{
    /// <summary>
    /// Records that the alert behind <paramref name="token"/> is acknowledged, by <paramref name="channel"/>
    /// ("phone" for a key press, "sms-link" for the link's button) and, when known, the phone that did it.
    /// </summary>
    Task<AcknowledgeOutcome> AcknowledgeAsync(string token, string channel, string? byPhone, CancellationToken cancellationToken);

    /// <summary>What the acknowledgement page may show of the alert; null when the token is not known.</summary>
    Task<AlertDescription?> DescribeAsync(string token, CancellationToken cancellationToken);
}

public enum AcknowledgeOutcome
{
    Acknowledged,
    AlreadyAcknowledged,
    Unknown,
}

/// <summary>What an acknowledgement page shows: never a pupil, only the school, the incident's reference and severity (1–5).</summary>
public sealed record AlertDescription(string SchoolName, string Reference, int Severity, bool Acknowledged);

/// <summary>The channels the phone webhooks acknowledge by.</summary>
public static class AcknowledgeChannels
{
    /// <summary>A key pressed on the alert call.</summary>
    public const string Phone = "phone";

    /// <summary>The button on the page an SMS links to.</summary>
    public const string SmsLink = "sms-link";
}
