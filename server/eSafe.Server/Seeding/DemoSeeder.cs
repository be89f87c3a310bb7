using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Seeding;

/// <summary>
/// With <c>--demo</c>: a demo school and a demo analyst, made with random codes and passwords on first start
/// and written to demo.json. Later starts reuse them; whatever demo.json no longer matches is issued afresh.
/// </summary>
public sealed class DemoSeeder(DataFolder data, ISchoolStore schools, IAnalystStore accounts, Provisioning provisioning, PasswordHashing passwords,
    TimeProvider clock)
{
    public const string SchoolName = "Demo School";
    public const string AnalystUsername = "analyst";
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

        var account = await accounts.FindAsync(AnalystUsername, cancellationToken);
        string password;
        if (account is null)
        {
            (_, password) = await provisioning.AddAccountAsync(AnalystUsername, "Demo analyst", Roles.Analyst, null, Actor, cancellationToken);
        }
        else if (saved is not null && passwords.Verify(account.Username, account.PasswordHash, saved.AnalystPassword) != PasswordCheck.Failed)
        {
            password = saved.AnalystPassword;
        }
        else
        {
            password = await provisioning.ResetPasswordAsync(AnalystUsername, Actor, cancellationToken);
        }

        var credentials = new DemoCredentials(url, school.Id, school.Name, code, AnalystUsername, password);
        credentials.Write(data.DemoFilePath);
        return credentials;
    }

    // A saved code that is used up or expired is replaced, so the banner never prints a dead code.
    private async Task<bool> StillWorksAsync(string codeHash, CancellationToken cancellationToken) =>
        await provisioning.CodeAsync(codeHash, cancellationToken) is not { } code
        || (code.Uses < code.MaxUses && code.ExpiresAt > clock.GetUtcNow());
}
