using System.Text;
using eSafe.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// What the phone provider and the people it reaches post back: a key pressed on an alert call (Twilio's webhook,
/// signed) and the page an alert's SMS links to. Public routes: the token in the path is the credential.
/// </summary>
public static class PhoneWebhookEndpoints
{
    public const string VoicePath = "/api/v1/phone/twilio/voice";
    public const string AcknowledgePath = "/ack";

    // Twilio's voice webhook form is about 1 KB.
    private const int MaxFormBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapPhoneWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(VoicePath + "/{token}", VoiceAsync);
        var page = app.MapGroup(AcknowledgePath);
        page.MapGet("/{token}", ShowAsync);
        page.MapPost("/{token}", AcknowledgeAsync);
        return app;
    }

    private static async Task<IResult> VoiceAsync(string token, HttpContext context)
    {
        if (!AcknowledgeTokens.IsValid(token))
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", "There is no such alert.");
        }

        var options = context.RequestServices.GetService<TwilioOptions>();
        var acknowledgements = context.RequestServices.GetService<IPhoneAcknowledgements>();
        if (options is null || acknowledgements is null)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Not available",
                options is null ? "No phone provider is configured on this server." : "Alerts cannot be acknowledged on this server.");
        }

        var (body, error) = await RequestBody.ReadAsync(context, MaxFormBytes);
        if (body is null)
        {
            return error!;
        }

        var form = ReadForm(body);
        if (form is null || !TwilioSignatures.IsValid(options, context.Request, form))
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden", "The request does not carry the phone provider's valid signature.");
        }

        var action = new Uri(options.VoiceWebhookUrl(token));
        if (form.GetValueOrDefault("Digits").ToString() != "1")
        {
            return Twiml(AlertTwiml.AskAgain(action));
        }

        // On an outbound call Twilio's "To" is the number called: the contact who pressed the key.
        var called = form.GetValueOrDefault("To").ToString();
        var outcome = await acknowledgements.AcknowledgeAsync(token, AcknowledgeChannels.Phone, PhoneNumbers.IsE164(called) ? called : null,
            context.RequestAborted);
        return Twiml(AlertTwiml.Reply(outcome));
    }

    private static async Task<ContentHttpResult> ShowAsync(string token, HttpContext context)
    {
        if (!AcknowledgeTokens.IsValid(token))
        {
            return Html(StatusCodes.Status404NotFound, AcknowledgePage.NotKnown());
        }

        if (context.RequestServices.GetService<IPhoneAcknowledgements>() is not { } acknowledgements)
        {
            return Html(StatusCodes.Status503ServiceUnavailable, AcknowledgePage.Unavailable());
        }

        // Showing never acknowledges: phones fetch links in texts to preview them.
        var alert = await acknowledgements.DescribeAsync(token, context.RequestAborted);
        return alert is null
            ? Html(StatusCodes.Status404NotFound, AcknowledgePage.NotKnown())
            : Html(StatusCodes.Status200OK, AcknowledgePage.Ask(token, alert));
    }

    private static async Task<ContentHttpResult> AcknowledgeAsync(string token, HttpContext context)
    {
        if (!AcknowledgeTokens.IsValid(token))
        {
            return Html(StatusCodes.Status404NotFound, AcknowledgePage.NotKnown());
        }

        if (context.RequestServices.GetService<IPhoneAcknowledgements>() is not { } acknowledgements)
        {
            return Html(StatusCodes.Status503ServiceUnavailable, AcknowledgePage.Unavailable());
        }

        var outcome = await acknowledgements.AcknowledgeAsync(token, AcknowledgeChannels.SmsLink, byPhone: null, context.RequestAborted);
        return Html(outcome == AcknowledgeOutcome.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, AcknowledgePage.Result(outcome));
    }

    private static Dictionary<string, StringValues>? ReadForm(byte[] body)
    {
        try
        {
            return new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static ContentHttpResult Twiml(string twiml) => TypedResults.Text(twiml, "text/xml", Encoding.UTF8);

    private static ContentHttpResult Html(int status, string html) => TypedResults.Text(html, "text/html", Encoding.UTF8, status);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
