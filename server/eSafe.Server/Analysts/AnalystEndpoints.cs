using System.Globalization;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Libraries;
using eSafe.Server.Live;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Dashboard;
using eSafe.Server.Escalation;
using eSafe.Server.Fleet;
using eSafe.Server.Retention;
using eSafe.Server.Web;
using eSafe.Server.Workflow;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace eSafe.Server.Analysts;

/// <summary>The console's API (docs/PROTOCOL.md §3): login and logout, schools, the incident queue, details and screenshots.</summary>
public static class AnalystEndpoints
{
    public const string ConsolePolicy = "console";
    private const int MaxLoginBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapAnalystApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter(SameOriginOnly);
        api.MapPost("/auth/login", LoginAsync);
        api.MapPost("/auth/logout", LogoutAsync);

        var console = api.MapGroup("").RequireAuthorization(ConsolePolicy);
        console.MapGet("/auth/me", (HttpContext context) => TypedResults.Json(Info(User(context)), ContractsJson.Default.AnalystInfo));
        console.MapGet("/schools", async (HttpContext context, IncidentAccess access) =>
            TypedResults.Json(await access.SchoolsAsync(User(context), context.RequestAborted), ContractsJson.Default.IReadOnlyListSchoolInfo));
        console.MapGet("/library", (CompiledLibrary library) => TypedResults.Json(Summarise(library), ContractsJson.Default.LibrarySummary));
        console.MapGet("/incidents", ListAsync);
        console.MapGet("/incidents/{id}", GetAsync);
        console.MapGet("/incidents/{id}/screenshot", GetScreenshotAsync);
        console.MapLibrarySearch();
        console.MapSchoolLayerApi();
        console.MapWorkflowApi();
        console.MapSafeguardingApi();
        console.MapRetentionApi();
        console.MapProposalApi();
        console.MapQualityApi();
        console.MapDashboardApi();
        console.MapAuditView();
        console.MapDeviceAdmin();
        console.MapFleetConsole();
        console.MapLiveFeed();
        return app;
    }

    private static LibrarySummary Summarise(CompiledLibrary library) => new(library.Name, library.Version, library.Entries.Count,
        library.Entries.GroupBy(e => e.Category).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        library.Entries.GroupBy(e => e.Language).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));

    private static async Task<IResult> LoginAsync(HttpContext context, IAnalystStore accounts, PasswordHashing passwords, LoginThrottle throttle,
        IAuditLog audit)
    {
        var (request, error) = await RequestBody.ReadJsonAsync(context, MaxLoginBytes, ContractsJson.Default.LoginRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Username) || request.Username.Length > 64 || string.IsNullOrEmpty(request.Password)
            || request.Password.Length > 256)
        {
            return Problems.BadRequest("A username (at most 64 characters) and a password (at most 256) are required.");
        }

        var username = request.Username.Trim();
        var remote = ClientAddress.Of(context);
        var actor = new string([.. username.Select(c => char.IsControl(c) ? '?' : c)]);
        if (await throttle.CheckAsync(username, remote, context.RequestAborted) is { } refusal)
        {
            await audit.AppendAsync(new AuditEvent(actor, AuditActions.LoginThrottled, RemoteAddress: remote, Detail: refusal.Reason), context.RequestAborted);
            var seconds = Math.Max(1, (int)Math.Ceiling(refusal.Wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var wait = seconds < 60 ? $"{seconds} seconds" : $"{(seconds + 59) / 60} minutes";
            return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many failed logins",
                $"Too many failed logins for this username from here: try again in {wait}.");
        }

        var account = await accounts.FindAsync(username, context.RequestAborted);
        var check = passwords.Verify(account?.Username ?? username, account?.PasswordHash, request.Password);
        if (account is null || check == PasswordCheck.Failed || AccessScope.Of(account.Role, account.SchoolId) is null)
        {
            await throttle.FailedAsync(username, remote, context.RequestAborted);
            await audit.AppendAsync(new AuditEvent(actor, AuditActions.LoginFailed, RemoteAddress: remote), context.RequestAborted);
            return Problems.Status(StatusCodes.Status401Unauthorized, "Login failed", "The username or password is not right.");
        }

        if (check == PasswordCheck.SucceededRehashNeeded)
        {
            account = account with { PasswordHash = passwords.Hash(account.Username, request.Password) };
            await accounts.UpdateAsync(account, context.RequestAborted);
        }

        await throttle.SucceededAsync(username, remote, context.RequestAborted);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            ConsoleUser.Principal(account, CookieAuthenticationDefaults.AuthenticationScheme));
        await audit.AppendAsync(new AuditEvent(account.Username, AuditActions.LoginSucceeded, SchoolId: account.SchoolId, RemoteAddress: remote),
            context.RequestAborted);
        return TypedResults.Json(new AnalystInfo(account.Username, account.DisplayName, account.Role), ContractsJson.Default.AnalystInfo);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, IAuditLog audit)
    {
        if (ConsoleUser.From(context.User) is { } user)
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.Logout, RemoteAddress: ClientAddress.Of(context)),
                context.RequestAborted);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(HttpContext context, IncidentAccess access)
    {
        var query = QueueQuery.Parse(context.Request.Query, out var errors);
        if (query is null)
        {
            return Problems.Invalid(errors, "The queue's filters are not valid.");
        }

        var page = await access.ListAsync(User(context), query, ClientAddress.Of(context), context.RequestAborted);
        return TypedResults.Json(page, ContractsJson.Default.IncidentPage);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IncidentAccess access)
    {
        if (!IncidentId.IsValid(id))
        {
            return Problems.BadRequest("The incident ID is not a 26-character sortable incident ID.");
        }

        var detail = await access.GetAsync(User(context), id, ClientAddress.Of(context), context.RequestAborted);
        return detail is null
            ? Problems.NotFound("There is no incident with this ID.")
            : TypedResults.Json(detail, ContractsJson.Default.IncidentDetail);
    }

    private static async Task<IResult> GetScreenshotAsync(string id, HttpContext context, IncidentAccess access)
    {
        if (!IncidentId.IsValid(id))
        {
            return Problems.BadRequest("The incident ID is not a 26-character sortable incident ID.");
        }

        var (found, jpeg) = await access.GetScreenshotAsync(User(context), id, ClientAddress.Of(context), context.RequestAborted);
        return !found ? Problems.NotFound("There is no incident with this ID.")
            : jpeg is null ? Problems.NotFound("This incident has no screenshot.")
            : TypedResults.Bytes(jpeg, "image/jpeg");
    }

    private static ConsoleUser User(HttpContext context) =>
        ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");

    private static AnalystInfo Info(ConsoleUser user) => new(user.Username, user.DisplayName, user.Role);

    // The session cookie is SameSite=Strict already; a browser's cross-site POST (which sends Origin) is refused here too.
    private static async ValueTask<object?> SameOriginOnly(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var request = invocation.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Cross-site request", "Requests to the console API must come from the console itself.");
        }

        return await next(invocation);
    }
}
