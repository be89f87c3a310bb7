using eSafe.Server.Notifications.Email;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Workflow;

namespace eSafe.Server.Escalation;

public static class EscalationServices
{
    /// <summary>Decisions, the schools' safeguarding set-up, the alert banner, and the job runner that tells the schools.</summary>
    /// <summary>The mail server for reports, when the <c>Smtp</c> section is there; invalid settings stop the server with every problem named.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SmtpOptions.Section);
        if (!section.Exists())
        {
            return services;
        }

        var options = section.Get<SmtpOptions>() ?? new SmtpOptions();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new Security.ServerSetupException("The SMTP settings cannot be used: " + string.Join(" ", problems));
        }

        services.AddSingleton(options);
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }

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
        services.AddSingleton<ReportDownloads>();
        services.AddSingleton<ProposalReview>();
        services.AddSingleton<IPhoneAcknowledgements, AlertAcknowledgements>();
        services.AddSingleton<IJobHandler, AlertCallHandler>();
        services.AddSingleton<IJobHandler, ReportEmailHandler>();
        services.AddSingleton<IJobHandler, WeeklySummaryHandler>();
        services.AddSingleton<EscalationUpkeep>();
        services.AddHostedService(provider => provider.GetRequiredService<EscalationUpkeep>());
        services.AddSingleton<JobRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }
}
