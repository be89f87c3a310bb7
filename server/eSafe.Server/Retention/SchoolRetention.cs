using eSafe.Contracts.Http;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Retention;

/// <summary>A school's retention in the console: read by staff and the school's contacts, changed by senior analysts (audited).</summary>
public sealed class SchoolRetention(ISchoolStore schools, Provisioning provisioning)
{
    public async Task<Outcome<RetentionView>> GetAsync(ConsoleUser user, string schoolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var school = user.Scope.Includes(schoolId) ? await schools.GetAsync(schoolId, cancellationToken) : null;
        return school is null ? Outcome.NotFound<RetentionView>("There is no school with this ID.") : View(school);
    }

    public async Task<Outcome<RetentionView>> SetAsync(ConsoleUser user, string schoolId, RetentionRequest request, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!user.Scope.Includes(schoolId) || await schools.GetAsync(schoolId, cancellationToken) is null)
        {
            return Outcome.NotFound<RetentionView>("There is no school with this ID.");
        }

        if (!user.IsSenior)
        {
            return Outcome.Forbidden<RetentionView>("Only a senior analyst changes how long a school's incidents are kept.");
        }

        if (request.Months is { } months && !RetentionPeriod.IsValidMonths(months))
        {
            return Outcome.Invalid<RetentionView>(new Dictionary<string, string[]>
            {
                ["months"] = [$"Retention must be {RetentionPeriod.MinMonths} to {RetentionPeriod.MaxMonths} months, or null for the default."],
            }, "The retention is not valid; nothing was changed.");
        }

        try
        {
            return View(await provisioning.SetRetentionAsync(schoolId, request.Months, user.Username, cancellationToken, remote));
        }
        catch (ProvisioningException e)
        {
            return Outcome.NotFound<RetentionView>(e.Message);
        }
    }

    public static RetentionView View(SchoolRecord school)
    {
        ArgumentNullException.ThrowIfNull(school);
        return new(school.Id, school.EffectiveRetentionMonths, school.RetentionMonths is null, RetentionPeriod.DefaultMonths, RetentionPeriod.MinMonths,
            RetentionPeriod.MaxMonths);
    }
}
