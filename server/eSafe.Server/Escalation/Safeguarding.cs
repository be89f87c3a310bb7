using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Escalation;

/// <summary>
/// A school's contacts, protocol and report password. Staff and the school's own contacts may read them; only a senior
/// analyst (or the server's admin commands, as actor "cli") changes them. Every read and change is audited.
/// </summary>
public sealed class Safeguarding(ISafeguardingStore store, ISchoolStore schools, IAuditLog audit, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public async Task<Outcome<SafeguardingView>> GetAsync(ConsoleUser user, string schoolId, string? remote, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(user, schoolId, change: false, remote, cancellationToken) is { } refused)
        {
            return refused;
        }

        var record = await store.GetAsync(schoolId, cancellationToken);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.SafeguardingRead, SchoolId: schoolId, RemoteAddress: remote), cancellationToken);
        return View(record);
    }

    public Task<Outcome<SafeguardingView>> SaveContactAsync(ConsoleUser user, string schoolId, string contactId, ContactRequest contact,
        string? remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var problems = SafeguardingRules.ContactProblems(contactId, contact);
        if (problems.Count > 0)
        {
            return Task.FromResult(Outcome.Invalid<SafeguardingView>(problems, "The contact is not valid; nothing was changed."));
        }

        var saved = new Contact(contactId, contact.Name.Trim(), contact.Role, Blank(contact.Phone), Blank(contact.Email), contact.Order);
        return ChangeAsync(user, schoolId, remote, AuditActions.ContactSaved, contactId, record =>
        {
            var others = record.Contacts.Where(c => c.Id != contactId).ToList();
            if (others.Count >= SafeguardingRules.MaxContacts)
            {
                return $"A school has at most {SafeguardingRules.MaxContacts} contacts.";
            }

            return record with { Contacts = [.. others, saved] };
        }, cancellationToken);
    }

    public Task<Outcome<SafeguardingView>> RemoveContactAsync(ConsoleUser user, string schoolId, string contactId, string? remote,
        CancellationToken cancellationToken) =>
        ChangeAsync(user, schoolId, remote, AuditActions.ContactRemoved, contactId, record =>
            record.Contacts.Any(c => c.Id == contactId)
                ? record with { Contacts = [.. record.Contacts.Where(c => c.Id != contactId)] }
                : (object)"There is no contact with this ID.", cancellationToken);

    public Task<Outcome<SafeguardingView>> SaveProtocolAsync(ConsoleUser user, string schoolId, Protocol protocol, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var problems = SafeguardingRules.ProtocolProblems(protocol);
        if (problems.Count > 0)
        {
            return Task.FromResult(Outcome.Invalid<SafeguardingView>(problems, "The protocol is not valid; nothing was changed."));
        }

        var ordered = new Protocol([.. protocol.Rules.OrderBy(r => r.Severity)], protocol.CallNextAfterMinutes);
        return ChangeAsync(user, schoolId, remote, AuditActions.ProtocolSaved, null, record => record with { Protocol = ordered }, cancellationToken);
    }

    /// <summary>Makes a new report password; it is returned once and kept only encrypted, for encrypting the school's reports.</summary>
    public async Task<Outcome<ReportPasswordIssued>> IssueReportPasswordAsync(ConsoleUser user, string schoolId, string? remote,
        CancellationToken cancellationToken)
    {
        var password = Secrets.NewPassword();
        var changed = await ChangeAsync(user, schoolId, remote, AuditActions.ReportPasswordIssued, null,
            record => record with { ReportPassword = password }, cancellationToken);
        return changed.Status == StatusCodes.Status200OK
            ? new ReportPasswordIssued(password)
            : changed.As<ReportPasswordIssued>();
    }

    public static SafeguardingView View(SafeguardingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new SafeguardingView(record.SchoolId, record.Version,
            [.. record.Contacts.OrderBy(c => ContactRoleOrder(c.Role)).ThenBy(c => c.Order).ThenBy(c => c.Id, StringComparer.Ordinal)],
            record.Protocol, record.ReportPassword is not null, record.ChangedAt);
    }

    // The change returns the new record, or a string saying why it cannot be made. Saved with the store's version check, retried on a race.
    private async Task<Outcome<SafeguardingView>> ChangeAsync(ConsoleUser user, string schoolId, string? remote, string action, string? detail,
        Func<SafeguardingRecord, object> change, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(user, schoolId, change: true, remote, cancellationToken) is { } refused)
        {
            return refused;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await store.GetAsync(schoolId, cancellationToken);
            var result = change(record);
            if (result is not SafeguardingRecord next)
            {
                return Outcome.Conflict<SafeguardingView>(result as string ?? "The change cannot be made.");
            }

            var changed = next with { Version = record.Version + 1, ChangedAt = clock.GetUtcNow() };
            if (await store.SaveAsync(changed, cancellationToken))
            {
                await audit.AppendAsync(new AuditEvent(user.Username, action, SchoolId: schoolId, RemoteAddress: remote, Detail: detail),
                    cancellationToken);
                return View(changed);
            }
        }

        return Outcome.Conflict<SafeguardingView>("Someone else changed this school's safeguarding set-up at the same time: try again.");
    }

    private async Task<Outcome<SafeguardingView>?> RefusedAsync(ConsoleUser user, string schoolId, bool change, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var exists = await schools.GetAsync(schoolId, cancellationToken) is not null;
        if (!exists || !user.Scope.Includes(schoolId))
        {
            if (exists)
            {
                await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.WorkflowRefused, SchoolId: schoolId, RemoteAddress: remote,
                    Detail: "safeguarding out of scope"), cancellationToken);
            }

            return Outcome.NotFound<SafeguardingView>("There is no school with this ID.");
        }

        if (change && !user.IsSenior)
        {
            return Outcome.Forbidden<SafeguardingView>("Only a senior analyst changes a school's contacts, protocol and report password.");
        }

        return null;
    }

    private static int ContactRoleOrder(string role)
    {
        for (var i = 0; i < ContactRoles.All.Count; i++)
        {
            if (ContactRoles.All[i] == role)
            {
                return i;
            }
        }

        return ContactRoles.All.Count;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
