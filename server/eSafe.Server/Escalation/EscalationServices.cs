using eSafe.Server.Notifications.Phone;
using eSafe.Server.Workflow;

namespace eSafe.Server.Escalation;

public static class EscalationServices
{
    /// <summary>Decisions, the schools' safeguarding set-up, the alert banner, and the job runner that tells the schools.</summary>
    public static IServiceCollection AddEscalation(this IServiceCollection services, EscalationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new Security.ServerSetupException(string.Join(" ", problems));
        }

        services.AddSingleton(options);
        services.AddSingleton<IncidentDecisions>();
        services.AddSingleton<AlertBoard>();
        services.AddSingleton<ProposalReview>();
        services.AddSingleton(provider => new EscalationChannels(provider.GetService<IPhoneNotifier>() is not null,
            Email: false));
        services.AddSingleton<IPhoneAcknowledgements, AlertAcknowledgements>();
        services.AddSingleton<IJobHandler, AlertCallHandler>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }
}
