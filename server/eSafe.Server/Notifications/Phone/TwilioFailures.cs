using System.Net.Sockets;
using Twilio.Exceptions;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Turns what the Twilio library throws into a <see cref="PhoneDeliveryException"/>: no reply, 408, 429 and 5xx are
/// transient; any other refusal is permanent. Messages name the HTTP status and Twilio's error code and text, and
/// never the auth token (removed even if a reply echoed it). Only failures without a reply keep the library's
/// exception as the inner one: whatever a reply said is in the message, cleaned, and nowhere else.
/// </summary>
internal static class TwilioFailures
{
    private const int MaxProviderText = 200;

    public static PhoneDeliveryException Classify(Exception error, int? status, string what, TwilioOptions options)
    {
        if (status is null)
        {
            var reason = Find<TimeoutException>(error) is not null || Find<TaskCanceledException>(error) is not null
                ? $"it did not answer within {options.RequestTimeout.TotalSeconds:0} s"
                : Find<HttpRequestException>(error) is { } http ? Describe(http)
                : "no reply came";
            return new PhoneDeliveryException($"Twilio could not be reached to {what}: {reason}.", isPermanent: false, error);
        }

        var detail = ProviderText(error, options);
        var said = detail.Length > 0 ? $" ({detail})" : "";
        return status switch
        {
            >= 200 and < 300 => new PhoneDeliveryException($"Twilio's reply to the request to {what} could not be read (HTTP {status}).", false),
            408 or 429 or >= 500 => new PhoneDeliveryException($"Twilio could not {what} just now: HTTP {status}{said}.", false),
            401 or 403 => new PhoneDeliveryException(
                $"Twilio refused the account's credentials (HTTP {status}{said}); check Twilio:AccountSid and Twilio:AuthToken.", true),
            _ => new PhoneDeliveryException($"Twilio refused to {what}: HTTP {status}{said}.", true),
        };
    }

    private static string Describe(HttpRequestException http) => http.HttpRequestError switch
    {
        HttpRequestError.ConnectionError when Find<SocketException>(http) is { SocketErrorCode: SocketError.ConnectionRefused } =>
            "the connection was refused",
        HttpRequestError.ConnectionError => "no connection could be made",
        HttpRequestError.NameResolutionError => "its name could not be resolved",
        HttpRequestError.SecureConnectionError => "the secure connection failed",
        _ => "the connection failed",
    };

    // Twilio's own error code and message when the reply was one of its error documents.
    private static string ProviderText(Exception error, TwilioOptions options)
    {
        var text = error switch
        {
            ApiException { Code: not 0 } api => $"error {api.Code}: {api.Message}",
            ApiStandardException { Code: not 0 } standard => $"error {standard.Code}: {standard.Detail ?? standard.Title}",
            _ => "",
        };
        if (options.AuthToken.Length > 0)
        {
            text = text.Replace(options.AuthToken, "[auth token]", StringComparison.Ordinal);
        }

        text = string.Concat(text.Where(c => !char.IsControl(c)));
        return text.Length <= MaxProviderText ? text : string.Concat(text.AsSpan(0, MaxProviderText), "…");
    }

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }

        return null;
    }
}
