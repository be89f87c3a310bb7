using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eSafe.Server.Libraries;

/// <summary>
/// The console's API for a school's own words (docs/PROTOCOL.md §3): list the layer, add or replace an entry,
/// remove one, switch a global entry off or on. Analysts may change any school's layer, a school's contact
/// only their own; every change is audited and bumps the layer's version.
/// </summary>
public static class SchoolLayerEndpoints
{
    public static RouteGroupBuilder MapSchoolLayerApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var layer = console.MapGroup("/schools/{schoolId}/library");
        layer.MapGet("", GetAsync);
        layer.MapPut("/entries/{id}", SaveEntryAsync);
        layer.MapDelete("/entries/{id}", RemoveEntryAsync);
        layer.MapPut("/disabled/{globalId}", (string schoolId, string globalId, HttpContext context, SchoolLayerChanges changes) =>
            SwitchAsync(schoolId, globalId, off: true, context, changes));
        layer.MapDelete("/disabled/{globalId}", (string schoolId, string globalId, HttpContext context, SchoolLayerChanges changes) =>
            SwitchAsync(schoolId, globalId, off: false, context, changes));
        return console;
    }

    private static async Task<IResult> GetAsync(string schoolId, HttpContext context, SchoolLayerChanges changes)
    {
        var view = await changes.ViewAsync(Caller(context), schoolId, context.RequestAborted);
        return view is null ? NoSuchSchool() : Json(view);
    }

    private static async Task<IResult> SaveEntryAsync(string schoolId, string id, HttpContext context, SchoolLayerChanges changes)
    {
        var caller = Caller(context);
        if (!await changes.MayChangeAsync(caller, schoolId, context.RequestAborted))
        {
            return NoSuchSchool();
        }

        var (entry, error) = await RequestBody.ReadJsonAsync(context, SchoolEntryRules.MaxRequestBytes, ContractsJson.Default.SchoolEntry);
        if (entry is null)
        {
            return error!;
        }

        var outcome = await changes.SaveEntryAsync(caller, schoolId, id, entry, context.RequestAborted);
        return outcome.Problems is { Count: > 0 } problems
            ? Problems.Invalid(problems, "The entry is not valid; nothing was changed.")
            : Json(outcome.View!);
    }

    private static async Task<IResult> RemoveEntryAsync(string schoolId, string id, HttpContext context, SchoolLayerChanges changes)
    {
        var caller = Caller(context);
        if (!await changes.MayChangeAsync(caller, schoolId, context.RequestAborted))
        {
            return NoSuchSchool();
        }

        var view = await changes.RemoveEntryAsync(caller, schoolId, id, context.RequestAborted);
        return view is null ? Problems.NotFound("The school has no entry with this ID.") : Json(view);
    }

    private static async Task<IResult> SwitchAsync(string schoolId, string globalId, bool off, HttpContext context, SchoolLayerChanges changes)
    {
        var caller = Caller(context);
        if (!await changes.MayChangeAsync(caller, schoolId, context.RequestAborted))
        {
            return NoSuchSchool();
        }

        var view = await changes.SwitchGlobalEntryAsync(caller, schoolId, globalId, off, context.RequestAborted);
        return view is null ? Problems.NotFound("The global library has no entry with this ID.") : Json(view);
    }

    private static SchoolLayerChanges.Caller Caller(HttpContext context) =>
        new(ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user."),
            ClientAddress.Of(context));

    // Out of scope reads as absent, as it does for incidents: a contact learns nothing of other schools.
    private static IResult NoSuchSchool() => Problems.NotFound("There is no school with this ID.");

    private static JsonHttpResult<SchoolLayerView> Json(SchoolLayerView view) => TypedResults.Json(view, ContractsJson.Default.SchoolLayerView);
}
