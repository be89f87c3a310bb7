namespace eSafe.Server.Notifications.Phone;

/// <summary>Registers the phone notifier when the <c>Twilio</c> configuration section is there and valid.</summary>
public static class PhoneServices
{
    /// <summary>
    /// With a valid <c>Twilio</c> section: <see cref="TwilioOptions"/>, the named HttpClient and <see cref="IPhoneNotifier"/>.
    /// With none: nothing (no phone provider is configured). With an invalid one: nothing either, and a start-up
    /// warning that lists every problem.
    /// </summary>
    public static IServiceCollection AddPhoneNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TwilioOptions.SectionName);
        if (!section.Exists())
        {
            return services;
        }

        var options = section.Get<TwilioOptions>() ?? new TwilioOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            services.AddHostedService(provider => new PhoneConfigurationWarning(problems, provider.GetRequiredService<ILogger<PhoneConfigurationWarning>>()));
            return services;
        }

        services.AddSingleton(options);
        var http = services.AddHttpClient(TwilioPhoneNotifier.HttpClientName, client => client.Timeout = options.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        if (!options.UsesDefaultApi)
        {
            http.AddHttpMessageHandler(() => new TwilioApiRedirect(new Uri(options.ApiBaseUrl)));
        }

        http.AddHttpMessageHandler(() => new TwilioRequestScope.Handler());
        services.AddSingleton<IPhoneNotifier, TwilioPhoneNotifier>();
        return services;
    }
}

/// <summary>Says at start-up why phone alerts are off although a <c>Twilio</c> section is configured.</summary>
internal sealed class PhoneConfigurationWarning(IReadOnlyList<string> problems, ILogger<PhoneConfigurationWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning("Phone alerts are off: the Twilio settings have problems. {Problems}", string.Join(" ", problems));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
