using eSafe.Server.Escalation;
using eSafe.Server.Security;

namespace eSafe.Server.Fleet;

public static class FleetServices
{
    /// <summary>Heartbeats, the Devices view's health and flags, and the timed check that alerts the schools' IT contacts.</summary>
    public static IServiceCollection AddFleet(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(FleetOptions.SectionName).Get<FleetOptions>() ?? new FleetOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ServerSetupException("The Fleet settings cannot be used: " + string.Join(" ", problems));
        }

        services.AddSingleton(options);
        services.AddSingleton<FleetHealth>();
        services.AddSingleton<FleetAcknowledgements>();
        services.AddSingleton<IJobHandler, FleetCheckHandler>();
        services.AddSingleton<IJobHandler, FleetAlertHandler>();
        services.AddHostedService<FleetUpkeep>();
        return services;
    }
}
