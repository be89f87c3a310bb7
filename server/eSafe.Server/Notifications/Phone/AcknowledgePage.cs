using System.Text.Encodings.Web;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// The small page an alert's SMS links to: what the alert is (school, reference, severity; never a pupil) and one
/// button that posts the acknowledgement. No script; the console's stylesheet (the CSP allows no inline style). Well-formed XML too, so tests can read it.
/// </summary>
internal static class AcknowledgePage
{
    public static string Ask(string token, AlertDescription alert)
    {
        var facts = $"""
            <dl class="fields">
            <dt>School</dt><dd>{Html(alert.SchoolName)}</dd>
            <dt>Reference</dt><dd>{Html(alert.Reference)}</dd>
            <dt>Severity</dt><dd>{alert.Severity} of 5</dd>
            </dl>
            """;
        var action = alert.Acknowledged
            ? $"<p>{Html(AlertTwiml.AlreadyAcknowledged)}</p>"
            : $"""
                <p>An eSafe analyst has raised an urgent safeguarding alert for your school. Acknowledge it to tell eSafe that you are dealing with it.</p>
                <form method="post" action="{PhoneWebhookEndpoints.AcknowledgePath}/{Html(token)}"><button type="submit">I acknowledge this alert</button></form>
                """;
        return Page(facts + action);
    }

    public static string Result(AcknowledgeOutcome outcome) => Page(outcome switch
    {
        AcknowledgeOutcome.Acknowledged => $"<p>{Html(AlertTwiml.Acknowledged)}</p><p>eSafe has recorded when you acknowledged it.</p>",
        AcknowledgeOutcome.AlreadyAcknowledged => $"<p>{Html(AlertTwiml.AlreadyAcknowledged)}</p>",
        _ => NotKnownText,
    });

    public static string NotKnown() => Page(NotKnownText);

    public static string Unavailable() => Page("<p>Alerts cannot be acknowledged on this server at the moment. Please call eSafe.</p>");

    private static string NotKnownText => $"<p>{Html(AlertTwiml.NotKnown)} Check that the link is complete.</p>";

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    private static string Page(string content) => $"""
        <!doctype html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>eSafe alert</title>
        <link rel="stylesheet" href="/app.css" />
        </head>
        <body>
        <main class="card">
        <h1>eSafe alert</h1>
        {content}
        </main>
        </body>
        </html>
        """;
}
