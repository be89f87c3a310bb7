using eSafe.Server.Escalation;
using eSafe.Server.Security;

namespace eSafe.Server.Retention;

public static class RetentionServices
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(RetentionOptions.SectionName).Get<RetentionOptions>() ?? new RetentionOptions();
        if (!(options.SweepMinutes is >= 1 and <= 24 * 60))
        {
            throw new ServerSetupException("Retention:SweepMinutes must be 1 to 1440.");
        }

        services.AddSingleton(options);
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<SchoolRetention>();
        services.AddSingleton<IJobHandler, RetentionSweepHandler>();
        services.AddHostedService<RetentionUpkeep>();
        return services;
    }
}
