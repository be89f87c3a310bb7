using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;

namespace eSafe.Server.Libraries;

/// <summary>
/// Every read and change of a school's layer from the console goes through here: limited to the caller's
/// <see cref="AccessScope"/>, validated before anything is stored, audited, one change at a time.
/// </summary>
public sealed class SchoolLayerChanges(ISchoolStore schools, ISchoolLibraryStore layers, LibraryPackages packages, IAuditLog audit,
    TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public sealed record Caller(ConsoleUser User, string? RemoteAddress);

    public sealed record SaveOutcome(SchoolLayerView? View, Dictionary<string, string[]>? Problems);

    /// <summary>True when the school exists and is in the caller's scope; a refusal of an existing school is audited.</summary>
    public async Task<bool> MayChangeAsync(Caller caller, string schoolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var school = await schools.GetAsync(schoolId, cancellationToken);
        if (school is not null && !caller.User.Scope.Includes(school.Id))
        {
            await audit.AppendAsync(new AuditEvent(caller.User.Username, AuditActions.SchoolLayerRefused, SchoolId: school.Id,
                RemoteAddress: caller.RemoteAddress), cancellationToken);
            return false;
        }

        return school is not null;
    }

    public async Task<SchoolLayerView?> ViewAsync(Caller caller, string schoolId, CancellationToken cancellationToken) =>
        await MayChangeAsync(caller, schoolId, cancellationToken) ? await CurrentViewAsync(schoolId, cancellationToken) : null;

    /// <summary>Adds or replaces an entry of a school the caller may change (check <see cref="MayChangeAsync"/> first).</summary>
    public async Task<SaveOutcome> SaveEntryAsync(Caller caller, string schoolId, string id, SchoolEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var problems = SchoolEntryRules.Problems(id, entry);
        if (problems.Count > 0)
        {
            return new SaveOutcome(null, problems);
        }

        var threatEntry = SchoolEntryRules.ToThreatEntry(entry);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var layer = await layers.GetAsync(schoolId, cancellationToken);
            var others = layer.Entries.Where(e => e.Id != id).ToList();
            if (others.Count >= SchoolEntryRules.MaxEntries)
            {
                return new SaveOutcome(null, new(StringComparer.Ordinal)
                {
                    ["entries"] = [$"A school's layer holds at most {SchoolEntryRules.MaxEntries} entries; remove one first."],
                });
            }

            // As in a library's source files: one entry a phrase, so an incident names the one rule that hit.
            if (others.FirstOrDefault(e => e.Phrase == threatEntry.Phrase) is { } same)
            {
                return new SaveOutcome(null, new(StringComparer.Ordinal) { ["phrase"] = [$"The school's entry {same.Id} has this phrase already."] });
            }

            SchoolLayerPackage package;
            try
            {
                // The whole layer must still compile before anything is stored; compiled as the next version, it is what devices get.
                package = LibraryPackages.Package(layer with { Version = layer.Version + 1, Entries = [.. others, threatEntry] });
            }
            catch (FormatException e)
            {
                return new SaveOutcome(null, new(StringComparer.Ordinal) { ["entry"] = [e.Message] });
            }

            var version = await layers.SaveEntryAsync(schoolId, threatEntry, clock.GetUtcNow(), cancellationToken);
            if (version == package.Version)
            {
                packages.Remember(package);
            }

            await AuditAsync(caller, AuditActions.SchoolEntrySaved, schoolId, $"entry {id}, version {version}", cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }

        return new SaveOutcome(await CurrentViewAsync(schoolId, cancellationToken), null);
    }

    /// <summary>The layer after the removal, or null when the school has no such entry.</summary>
    public async Task<SchoolLayerView?> RemoveEntryAsync(Caller caller, string schoolId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (await layers.RemoveEntryAsync(schoolId, id, clock.GetUtcNow(), cancellationToken) is not { } version)
            {
                return null;
            }

            await AuditAsync(caller, AuditActions.SchoolEntryRemoved, schoolId, $"entry {id}, version {version}", cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }

        return await CurrentViewAsync(schoolId, cancellationToken);
    }

    /// <summary>The layer after switching a global entry off or on, or null when the global library has no such entry.</summary>
    public async Task<SchoolLayerView?> SwitchGlobalEntryAsync(Caller caller, string schoolId, string globalId, bool off,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!packages.Global.Entries.Any(e => e.Id == globalId))
        {
            return null;
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // Null: it already was as asked, so nothing changed and the version stays.
            if (await layers.SetGlobalEntryOffAsync(schoolId, globalId, off, clock.GetUtcNow(), cancellationToken) is { } version)
            {
                await AuditAsync(caller, off ? AuditActions.GlobalEntrySwitchedOff : AuditActions.GlobalEntrySwitchedOn, schoolId,
                    $"global entry {globalId}, version {version}", cancellationToken);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }

        return await CurrentViewAsync(schoolId, cancellationToken);
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<SchoolLayerView> CurrentViewAsync(string schoolId, CancellationToken cancellationToken)
    {
        var layer = await layers.GetAsync(schoolId, cancellationToken);
        return new SchoolLayerView(layer.SchoolId, layer.Version, layer.ChangedAt, [.. layer.Entries.Select(SchoolEntryRules.ToView)],
            layer.DisabledGlobalIds, SchoolEntryRules.MaxEntries);
    }

    private Task<AuditEntry> AuditAsync(Caller caller, string action, string schoolId, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(caller.User.Username, action, SchoolId: schoolId, RemoteAddress: caller.RemoteAddress, Detail: detail),
            cancellationToken);
}
