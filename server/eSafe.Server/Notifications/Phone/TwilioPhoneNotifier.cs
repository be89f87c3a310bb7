using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// Calls and texts through Twilio Programmable Voice and Messaging. Each request gets a fresh client over an
/// HttpClient from the factory (named <see cref="HttpClientName"/>), which sends it to <see cref="TwilioOptions.ApiBaseUrl"/>.
/// </summary>
public sealed class TwilioPhoneNotifier(TwilioOptions options, IHttpClientFactory httpClients, ILogger<TwilioPhoneNotifier> logger) : IPhoneNotifier
{
    public const string HttpClientName = "twilio";

    /// <summary>Twilio's limit for one message's body.</summary>
    public const int MaxTextLength = 1600;

    public async Task<string> CallAsync(PhoneCall phoneCall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneCall);
        CheckNumber(phoneCall.To, "place the call");
        if (string.IsNullOrWhiteSpace(phoneCall.Message))
        {
            throw new PhoneDeliveryException("The call has no message to speak.", isPermanent: true);
        }

        if (!AcknowledgeTokens.IsValid(phoneCall.AcknowledgeToken))
        {
            throw new PhoneDeliveryException("The call's acknowledgement token is not 22 to 64 URL-safe characters.", isPermanent: true);
        }

        var twiml = AlertTwiml.Call(phoneCall.Message, new Uri(options.VoiceWebhookUrl(phoneCall.AcknowledgeToken)));
        if (twiml.Length > AlertTwiml.MaxCallTwimlLength)
        {
            throw new PhoneDeliveryException(
                $"The call's message is too long: Twilio takes at most {AlertTwiml.MaxCallTwimlLength} characters of instructions for a call.",
                isPermanent: true);
        }

        var sid = await SendAsync("place the call", async client =>
            (await CallResource.CreateAsync(to: new PhoneNumber(phoneCall.To), from: new PhoneNumber(options.FromNumber), twiml: new Twiml(twiml),
                client: client)).Sid, cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Twilio took a phone alert call {CallSid} to {To}", sid, PhoneNumbers.Mask(phoneCall.To));
        }

        return sid;
    }

    public async Task<string> SendTextAsync(PhoneText text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckNumber(text.To, "send the text");
        if (string.IsNullOrWhiteSpace(text.Body) || text.Body.Length > MaxTextLength)
        {
            throw new PhoneDeliveryException($"A text's body must have 1 to {MaxTextLength} characters.", isPermanent: true);
        }

        var sid = await SendAsync("send the text", async client =>
            (await MessageResource.CreateAsync(to: new PhoneNumber(text.To), from: new PhoneNumber(options.FromNumber), body: text.Body,
                client: client)).Sid, cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Twilio took a text {MessageSid} to {To}", sid, PhoneNumbers.Mask(text.To));
        }

        return sid;
    }

    private static void CheckNumber(string? to, string what)
    {
        if (!PhoneNumbers.IsE164(to))
        {
            throw new PhoneDeliveryException($"Cannot {what}: the number is not in international (E.164) form, e.g. +441632960123.", isPermanent: true);
        }
    }

    private async Task<string> SendAsync(string what, Func<ITwilioRestClient, Task<string>> request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = new TwilioRestClient(options.AccountSid, options.AuthToken,
            httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
        using var scope = TwilioRequestScope.Open(cancellationToken);
        try
        {
            var sid = await request(client);
            return string.IsNullOrEmpty(sid)
                ? throw new PhoneDeliveryException($"Twilio's reply to the request to {what} held no ID.", isPermanent: false)
                : sid;
        }
        catch (TwilioException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var failure = TwilioFailures.Classify(error, scope.LastStatus, what, options);
            logger.LogWarning("Twilio did not {What}: {Failure} (permanent: {Permanent})", what, failure.Message, failure.IsPermanent);
            throw failure;
        }
    }
}
