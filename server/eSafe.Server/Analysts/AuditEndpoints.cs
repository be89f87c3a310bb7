using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Analysts;

/// <summary>A page of the audit log as the console shows it; <see cref="Next"/> is the <c>after</c> of the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditLine> Items, long? Next);

public sealed record AuditLine(long Sequence, DateTimeOffset At, string Actor, string Action, string? IncidentId, string? SchoolId,
    string? RemoteAddress, string? Detail);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditPage))]
internal sealed partial class AuditJson : JsonSerializerContext;

/// <summary>
/// <c>GET /api/v1/audit?after=&amp;limit=&amp;action=&amp;actor=&amp;incidentId=</c>: the audit log, oldest first, for senior
/// analysts only. Reading it is audited too.
/// </summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapAuditView(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/audit", ReadAsync).RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Roles.SeniorAnalyst));
        return console;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, IAuditLog audit)
    {
        var parameters = new QueryParameters(context.Request.Query);
        var after = parameters.Checked("after", v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            "after must be the sequence number of an audit line (a whole number, 0 or more).");
        var limit = parameters.Number("limit", 1, MaxLimit);
        var action = parameters.Checked("action", v => v.Length <= 64 && v.All(c => char.IsAsciiLetterLower(c) || c == '-'),
            "action must be an audit action such as login-failed (lower-case letters and '-').");
        var actor = parameters.Checked("actor", v => v.Length <= 128 && !v.Any(char.IsControl), "actor must be at most 128 characters of text.");
        var incidentId = parameters.Checked("incidentId", IncidentId.IsValid, "incidentId must be a 26-character sortable incident ID.");
        if (parameters.Problems.Count > 0)
        {
            return Problems.Invalid(parameters.Problems, "The audit view's filters are not valid.");
        }

        var user = ConsoleUser.From(context.User)!;
        var query = new AuditQuery
        {
            After = after is null ? 0 : long.Parse(after, CultureInfo.InvariantCulture),
            Limit = (limit ?? DefaultLimit) + 1,
            Action = action,
            Actor = actor,
            IncidentId = incidentId,
        };
        var found = await audit.QueryAsync(query, context.RequestAborted);
        var page = found.Take(query.Limit - 1)
            .Select(e => new AuditLine(e.Sequence, e.At, e.Actor, e.Action, e.IncidentId, e.SchoolId, e.RemoteAddress, e.Detail)).ToList();
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.AuditRead, incidentId, RemoteAddress: ClientAddress.Of(context),
            Detail: $"after={query.After} action={action ?? "*"} actor={actor ?? "*"}: {page.Count} lines"), context.RequestAborted);
        return TypedResults.Json(new AuditPage(page, found.Count >= query.Limit ? page[^1].Sequence : null), AuditJson.Default.AuditPage);
    }
}
