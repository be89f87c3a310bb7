using System.Security.Cryptography;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Admin;

/// <summary>A request to add or change a school or an account that cannot be done; the message says why.</summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException()
    {
    }

    public ProvisioningException(string message) : base(message)
    {
    }

    public ProvisioningException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Adds schools and console accounts; used by the CLI and the demo seeding. Every change is audited.</summary>
public sealed class Provisioning(ISchoolStore schools, IAnalystStore accounts, IAuditLog audit, PasswordHashing passwords, TimeProvider clock,
    ISessionStore sessions,
    IEnrolmentCodeStore codes)
{
    /// <summary>A new school with a new enrolment code (returned once, stored only as a hash).</summary>
    public async Task<(SchoolRecord School, string EnrolmentCode)> AddSchoolAsync(string name, string actor, CancellationToken cancellationToken,
        EnrolmentCodeLimits? limits = null)
    {
        limits ??= EnrolmentCodeLimits.Default;
        CheckLimits(limits);
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 120 || trimmed.Any(char.IsControl))
        {
            throw new ProvisioningException("A school's name must be 1 to 120 characters of text.");
        }

        var code = Secrets.NewEnrolmentCode();
        var school = new SchoolRecord(Secrets.NewSchoolId(), trimmed,
            Secrets.HashEnrolmentCode(Secrets.NormaliseEnrolmentCode(code)!), clock.GetUtcNow());
        await schools.AddAsync(school, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, AuditActions.SchoolAdded, SchoolId: school.Id), cancellationToken);
        await StoreCodeAsync(school.Id, school.EnrolmentCodeHash, limits, actor, cancellationToken);
        return (school, code);
    }

    /// <summary>
    /// Replaces a school's enrolment code (enrolled devices are not affected; the old code stops working) and returns
    /// the new one, which works for <see cref="EnrolmentCodeLimits.Uses"/> enrolments until it expires.
    /// </summary>
    public async Task<string> IssueEnrolmentCodeAsync(string schoolId, string actor, CancellationToken cancellationToken,
        EnrolmentCodeLimits? limits = null)
    {
        limits ??= EnrolmentCodeLimits.Default;
        CheckLimits(limits);
        var code = Secrets.NewEnrolmentCode();
        var hash = Secrets.HashEnrolmentCode(Secrets.NormaliseEnrolmentCode(code)!);
        if (!await schools.SetEnrolmentCodeHashAsync(schoolId, hash, cancellationToken))
        {
            throw new ProvisioningException($"There is no school {schoolId}.");
        }

        await StoreCodeAsync(schoolId, hash, limits, actor, cancellationToken);
        return code;
    }

    /// <summary>
    /// Sets how many months after the month they were received a school's incidents are kept (1 to 120; null for the
    /// default of <see cref="RetentionPeriod.DefaultMonths"/>), audited with the old and new values.
    /// </summary>
    public async Task<SchoolRecord> SetRetentionAsync(string schoolId, int? months, string actor, CancellationToken cancellationToken,
        string? remoteAddress = null)
    {
        if (months is { } m && !RetentionPeriod.IsValidMonths(m))
        {
            throw new ProvisioningException($"Retention must be {RetentionPeriod.MinMonths} to {RetentionPeriod.MaxMonths} months.");
        }

        var school = await schools.GetAsync(schoolId, cancellationToken) ?? throw new ProvisioningException($"There is no school {schoolId}.");
        if (!await schools.SetRetentionMonthsAsync(schoolId, months, cancellationToken))
        {
            throw new ProvisioningException($"There is no school {schoolId}.");
        }

        var updated = school with { RetentionMonths = months };
        await audit.AppendAsync(new AuditEvent(actor, AuditActions.RetentionChanged, SchoolId: schoolId, RemoteAddress: remoteAddress,
            Detail: $"{school.EffectiveRetentionMonths} -> {updated.EffectiveRetentionMonths} months" + (months is null ? " (default)" : "")), cancellationToken);
        return updated;
    }

    /// <summary>The limits of a school's current code as stored; null for a code issued before codes had limits (see <see cref="Devices.EnrolmentCodeCheck"/>).</summary>
    public Task<EnrolmentCodeRecord?> CodeAsync(string codeHash, CancellationToken cancellationToken) => codes.GetAsync(codeHash, cancellationToken);

    private void CheckLimits(EnrolmentCodeLimits limits)
    {
        if (limits.Problem(clock.GetUtcNow()) is { } problem)
        {
            throw new ProvisioningException(problem);
        }
    }

    private async Task StoreCodeAsync(string schoolId, string hash, EnrolmentCodeLimits limits, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var record = new EnrolmentCodeRecord(hash, schoolId, limits.Uses, 0, now, limits.ExpiryFrom(now));
        await codes.IssueAsync(record, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, AuditActions.EnrolmentCodeIssued, SchoolId: schoolId,
            Detail: $"{record.MaxUses} uses, expires {record.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"), cancellationToken);
    }

    /// <summary>A new console account with a generated password (returned once, stored only as a hash).</summary>
    public async Task<(AnalystAccount Account, string Password)> AddAccountAsync(string username, string? displayName, string role,
        string? schoolId, string actor, CancellationToken cancellationToken, string? qualifications = null)
    {
        var name = (username ?? "").Trim().ToLowerInvariant();
        if (UsernameProblem(name) is { } problem)
        {
            throw new ProvisioningException(problem);
        }

        if (!Roles.IsKnown(role))
        {
            throw new ProvisioningException($"The role must be one of {string.Join(", ", Roles.All)}.");
        }

        if (role == Roles.SchoolContact && (schoolId is null || await schools.GetAsync(schoolId, cancellationToken) is null))
        {
            throw new ProvisioningException("A school contact needs the ID of an existing school.");
        }

        if (Roles.IsStaff(role) && schoolId is not null)
        {
            throw new ProvisioningException("An analyst sees every school; give a school only for a school contact.");
        }

        var display = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim();
        if (display.Length > 120 || display.Any(char.IsControl))
        {
            throw new ProvisioningException("A display name must be at most 120 characters of text.");
        }

        var vetting = CheckedQualifications(qualifications);
        var password = Secrets.NewPassword();
        var account = new AnalystAccount(name, display, role, schoolId, passwords.Hash(name, password), NewStamp(), clock.GetUtcNow())
        {
            Qualifications = vetting,
        };
        if (!await accounts.AddAsync(account, cancellationToken))
        {
            throw new ProvisioningException($"The username {name} is taken.");
        }

        await audit.AppendAsync(new AuditEvent(actor, AuditActions.AccountAdded, SchoolId: schoolId, Detail: name + " (" + role + ")"), cancellationToken);
        return (account, password);
    }

    /// <summary>Gives an account a new generated password; its open sessions end.</summary>
    public async Task<string> ResetPasswordAsync(string username, string actor, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(username, cancellationToken) ?? throw new ProvisioningException($"There is no account {username}.");
        var password = Secrets.NewPassword();
        await accounts.UpdateAsync(account with { PasswordHash = passwords.Hash(account.Username, password), SecurityStamp = NewStamp() }, cancellationToken);
        await sessions.RemoveForAccountAsync(account.Username, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, AuditActions.PasswordReset, Detail: account.Username), cancellationToken);
        return password;
    }

    /// <summary>Records an account's qualifications and vetting (null or empty clears them).</summary>
    public async Task<AnalystAccount> SetQualificationsAsync(string username, string? qualifications, string actor, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(username, cancellationToken) ?? throw new ProvisioningException($"There is no account {username}.");
        var updated = account with { Qualifications = CheckedQualifications(qualifications) };
        await accounts.UpdateAsync(updated, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, AuditActions.QualificationsRecorded, Detail: account.Username), cancellationToken);
        return updated;
    }

    private static string? CheckedQualifications(string? qualifications)
    {
        var text = qualifications?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length > 200 || text.Any(char.IsControl)
            ? throw new ProvisioningException("Qualifications must be at most 200 characters of text, e.g. \"Enhanced DBS (2026); NPPV 2\".")
            : text;
    }

    public static string? UsernameProblem(string username) =>
        username.Length is < 3 or > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? "A username must be 3 to 64 letters, digits, '.', '_', '-' or '@'."
            : null;

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
