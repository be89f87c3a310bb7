using System.Security.Claims;
using eSafe.Server.Storage;

namespace eSafe.Server.Analysts;

/// <summary>Which schools a console user may see. The one place that decides it: see <see cref="Of"/>.</summary>
public sealed record AccessScope
{
    private AccessScope(string? schoolId) => SchoolId = schoolId;

    public static AccessScope EverySchool { get; } = new((string?)null);

    /// <summary>The only school in scope, or null for every school.</summary>
    public string? SchoolId { get; }

    public static AccessScope OneSchool(string schoolId) => new(schoolId);

    public bool Includes(string schoolId) => SchoolId is null || SchoolId == schoolId;

    /// <summary>The schools a query may cover: null for all, empty when the one asked for is out of scope.</summary>
    public IReadOnlyCollection<string>? Narrow(string? requestedSchoolId) => (SchoolId, requestedSchoolId) switch
    {
        (null, null) => null,
        (null, { } requested) => [requested],
        ({ } own, null) => [own],
        ({ } own, { } requested) => own == requested ? [own] : [],
    };

    /// <summary>An account's scope: an analyst (senior or not) sees every school, a school contact only their own; anyone else nothing.</summary>
    public static AccessScope? Of(string role, string? schoolId) => role switch
    {
        Roles.Analyst or Roles.SeniorAnalyst => EverySchool,
        Roles.SchoolContact when schoolId is not null => OneSchool(schoolId),
        _ => null,
    };
}

/// <summary>The signed-in console user, as the session cookie's claims carry it.</summary>
public sealed record ConsoleUser(string Username, string DisplayName, string Role, AccessScope Scope)
{
    public bool IsStaff => Roles.IsStaff(Role);

    public bool IsSenior => Role == Roles.SeniorAnalyst;

    public const string SchoolClaim = "esafe:school";
    public const string StampClaim = "esafe:stamp";
    public const string DisplayNameClaim = "esafe:display-name";

    public static ClaimsPrincipal Principal(AnalystAccount account, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Username),
            new(ClaimTypes.Role, account.Role),
            new(StampClaim, account.SecurityStamp),
            new(DisplayNameClaim, account.DisplayName),
        };
        if (account.SchoolId is not null)
        {
            claims.Add(new Claim(SchoolClaim, account.SchoolId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The user an account stands for (the server's own seeding acts as one).</summary>
    public static ConsoleUser Of(AnalystAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new ConsoleUser(account.Username, account.DisplayName, account.Role,
            AccessScope.Of(account.Role, account.SchoolId) ?? throw new InvalidOperationException($"Account {account.Username} has no scope."));
    }

    /// <summary>The user a principal stands for, or null when it is not a console user with a scope.</summary>
    public static ConsoleUser? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var username = principal.FindFirstValue(ClaimTypes.Name);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (principal.Identity?.IsAuthenticated != true || username is null || role is null
            || AccessScope.Of(role, principal.FindFirstValue(SchoolClaim)) is not { } scope)
        {
            return null;
        }

        return new ConsoleUser(username, principal.FindFirstValue(DisplayNameClaim) ?? username, role, scope);
    }
}
