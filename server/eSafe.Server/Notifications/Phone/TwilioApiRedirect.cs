namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Sends the Twilio library's requests for api.twilio.com to <see cref="TwilioOptions.ApiBaseUrl"/> when that is
/// another address (a local stand-in in tests, or a relay); the path and query stay as the library made them.
/// </summary>
internal sealed class TwilioApiRedirect(Uri apiBase) : DelegatingHandler
{
    private const string TwilioApiHost = "api.twilio.com";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && string.Equals(uri.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new Uri(apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/') + uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
