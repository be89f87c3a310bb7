namespace eSafe.Server.Notifications.Phone;

/// <summary>The configuration section <c>Twilio</c>: the account that places calls and texts, and where Twilio calls back.</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    /// <summary>The account's SID: "AC" and 32 hexadecimal digits.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>The account's auth token: signs API requests and is the key Twilio signs its webhooks with.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The Twilio number calls and texts come from (E.164).</summary>
    public string FromNumber { get; set; } = "";

    /// <summary>Where Twilio's REST API is; another address only for a stand-in (tests) or a relay.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The server's public https address as Twilio reaches it: call-backs go there and are signed for it.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>How long one request to the API may take before it counts as a (transient) failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The URL a key press on an alert call is posted to.</summary>
    public string VoiceWebhookUrl(string token) => $"{PublicBase}{PhoneWebhookEndpoints.VoicePath}/{token}";

    /// <summary>The link to put in an alert's SMS: a page with one button that acknowledges the alert.</summary>
    public string AcknowledgeLink(string token) => $"{PublicBase}{PhoneWebhookEndpoints.AcknowledgePath}/{token}";

    internal string PublicBase => PublicBaseUrl.TrimEnd('/');

    internal bool UsesDefaultApi => string.Equals(ApiBaseUrl.TrimEnd('/'), DefaultApiBaseUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, each a sentence naming its key (never a secret's value); empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IsAccountSid(AccountSid))
        {
            problems.Add("Twilio:AccountSid must be the account's SID: \"AC\" followed by 32 hexadecimal digits.");
        }

        if (string.IsNullOrEmpty(AuthToken))
        {
            problems.Add("Twilio:AuthToken is required.");
        }
        else if (AuthToken.Length is < 16 or > 128 || AuthToken.Any(c => c is <= ' ' or > '~'))
        {
            problems.Add("Twilio:AuthToken does not look like an auth token (16 to 128 printable characters, no spaces).");
        }

        if (!PhoneNumbers.IsE164(FromNumber))
        {
            problems.Add("Twilio:FromNumber must be a Twilio number in E.164 form: '+' then 8 to 15 digits, e.g. +441632960123.");
        }

        if (BaseUrlProblem(ApiBaseUrl) is { } api)
        {
            problems.Add($"Twilio:ApiBaseUrl {api}");
        }

        if (string.IsNullOrWhiteSpace(PublicBaseUrl))
        {
            problems.Add("Twilio:PublicBaseUrl is required: the server's public https address, which Twilio posts key presses to.");
        }
        else if (BaseUrlProblem(PublicBaseUrl) is { } publicBase)
        {
            problems.Add($"Twilio:PublicBaseUrl {publicBase}");
        }

        if (RequestTimeout < TimeSpan.FromSeconds(1) || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("Twilio:RequestTimeout must be between 00:00:01 and 00:05:00.");
        }

        return problems;
    }

    private static bool IsAccountSid(string? sid) =>
        sid is { Length: 34 } && sid.StartsWith("AC", StringComparison.Ordinal) && sid[2..].All(char.IsAsciiHexDigit);

    // https everywhere; plain http only to this machine (a local stand-in or a test).
    private static string? BaseUrlProblem(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an absolute https URL.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return "must use https (plain http is allowed only to this machine).";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return "must be a base address without user name, query or fragment.";
        }

        return null;
    }
}
