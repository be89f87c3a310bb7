using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Escalation;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Seeding;

/// <summary>
/// With <c>--demo</c>: a demo school and a demo analyst, made with random codes and passwords on first start
/// and written to demo.json. Later starts reuse them; whatever demo.json no longer matches is issued afresh.
/// </summary>
public sealed class DemoSeeder(DataFolder data, ISchoolStore schools, IAnalystStore accounts, Provisioning provisioning, PasswordHashing passwords,
    Safeguarding safeguarding, ISafeguardingStore safeguardingStore,
    TimeProvider clock)
{
    public const string SchoolName = "Demo School";
    public const string AnalystUsername = "analyst";
    public const string ContactUsername = "dsl";
    private const string Actor = "demo-seeding";

    public async Task<DemoCredentials> EnsureAsync(string url, CancellationToken cancellationToken)
    {
        var saved = DemoCredentials.Read(data.DemoFilePath);
        var school = saved is null ? null : await schools.GetAsync(saved.SchoolId, cancellationToken);
        school ??= (await schools.ListAsync(cancellationToken)).FirstOrDefault(s => s.Name == SchoolName);

        string code;
        if (school is null)
        {
            (school, code) = await provisioning.AddSchoolAsync(SchoolName, Actor, cancellationToken);
        }
        else if (saved is not null && Secrets.NormaliseEnrolmentCode(saved.EnrolmentCode) is { } normalised
            && Secrets.HashEnrolmentCode(normalised) == school.EnrolmentCodeHash
            && await StillWorksAsync(school.EnrolmentCodeHash, cancellationToken))
        {
            code = saved.EnrolmentCode;
        }
        else
        {
            code = await provisioning.IssueEnrolmentCodeAsync(school.Id, Actor, cancellationToken);
        }

        // The demo analyst is a senior analyst, so a newcomer can try every part of the console.
        var password = await EnsureAccountAsync(AnalystUsername, "Demo analyst", Roles.SeniorAnalyst, null, saved?.AnalystPassword,
            "Enhanced DBS (DEMO); safeguarding level 3 (DEMO)", cancellationToken);
        var contactPassword = await EnsureAccountAsync(ContactUsername, "Alex Morgan (DEMO DSL)", Roles.SchoolContact, school.Id,
            saved?.ContactPassword, null, cancellationToken);
        var reportPassword = (await safeguardingStore.GetAsync(school.Id, cancellationToken)).ReportPassword;
        if (reportPassword is null)
        {
            var issued = await safeguarding.IssueReportPasswordAsync(CommandLineUser.Instance, school.Id, null, cancellationToken);
            reportPassword = issued.Value?.Password;
        }

        var credentials = new DemoCredentials(url, school.Id, school.Name, code, AnalystUsername, password, ContactUsername, contactPassword,
            reportPassword);
        credentials.Write(data.DemoFilePath);
        return credentials;
    }

    // Makes the account, or keeps the saved password when it still opens it, or issues a new one.
    private async Task<string> EnsureAccountAsync(string username, string displayName, string role, string? schoolId, string? savedPassword,
        string? qualifications, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(username, cancellationToken);
        if (account is null)
        {
            var (_, password) = await provisioning.AddAccountAsync(username, displayName, role, schoolId, Actor, cancellationToken, qualifications);
            return password;
        }

        if (account.Role != role)
        {
            await accounts.UpdateAsync(account with { Role = role, SchoolId = schoolId, Qualifications = qualifications ?? account.Qualifications },
                cancellationToken);
        }

        return savedPassword is not null && passwords.Verify(account.Username, account.PasswordHash, savedPassword) != PasswordCheck.Failed
            ? savedPassword
            : await provisioning.ResetPasswordAsync(username, Actor, cancellationToken);
    }

    // A saved code that is used up or expired is replaced, so the banner never prints a dead code.
    private async Task<bool> StillWorksAsync(string codeHash, CancellationToken cancellationToken) =>
        await provisioning.CodeAsync(codeHash, cancellationToken) is not { } code
        || (code.Uses < code.MaxUses && code.ExpiresAt > clock.GetUtcNow());
}
