using System.CommandLine;
using eSafe.Server.Admin;
using eSafe.Server.Security;

namespace eSafe.Server.Cli;

/// <summary><c>--uses N</c> and <c>--expires 30d|DATE</c> of the commands that issue an enrolment code.</summary>
internal static class EnrolmentCodeOptions
{
    public static (Option<int> Uses, Option<string?> Expires) Create() =>
    (
        new Option<int>("--uses")
        {
            Description = $"How many devices may enrol with the code (1 to {EnrolmentCodeLimits.MaxUses}).",
            DefaultValueFactory = _ => EnrolmentCodeLimits.DefaultUses,
        },
        new Option<string?>("--expires")
        {
            Description = "When the code stops working: a duration (30d, 12h) or a date (2026-12-31, the end of that day in UTC). Default 30d.",
        }
    );

    /// <summary>The limits given; throws <see cref="ProvisioningException"/> (a clear error, exit 1) when --expires cannot be read.</summary>
    public static EnrolmentCodeLimits Limits(ParseResult parse, Option<int> uses, Option<string?> expires) =>
        EnrolmentCodeLimits.Parse(parse.GetValue(uses), parse.GetValue(expires))
        ?? throw new ProvisioningException("--expires must be a duration such as 30d or 12h, or a date such as 2026-12-31.");

    public static async Task DescribeAsync(IServiceProvider services, string code, TextWriter output, CancellationToken cancellationToken)
    {
        var record = await services.GetRequiredService<Provisioning>()
            .CodeAsync(Secrets.HashEnrolmentCode(Secrets.NormaliseEnrolmentCode(code)!), cancellationToken);
        if (record is not null)
        {
            await output.WriteLineAsync($"Uses: {record.MaxUses}");
            await output.WriteLineAsync($"Expires: {record.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
    }
}
