using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Checks X-Twilio-Signature on a webhook: Twilio signs the URL it posted to (our public address, not the one
/// this process listens on behind a proxy) and the posted form, with the account's auth token.
/// </summary>
internal static class TwilioSignatures
{
    public const string Header = "X-Twilio-Signature";

    public static bool IsValid(TwilioOptions options, HttpRequest request, IReadOnlyDictionary<string, StringValues> form)
    {
        var signature = request.Headers[Header].ToString();
        if (signature.Length == 0)
        {
            return false;
        }

        var url = options.PublicBase + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var parameters = form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        return new RequestValidator(options.AuthToken).Validate(url, parameters, signature);
    }
}
