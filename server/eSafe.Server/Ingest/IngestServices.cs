using eSafe.Server.Direct;

namespace eSafe.Server.Ingest;

public static class IngestServices
{
    /// <summary>Ingestion for both transports: the host's sealed incidents and Chromebooks' direct mode.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddSingleton<SealedContent>();
        services.AddSingleton<IncidentIngest>();
        services.AddSingleton<SchoolMatchers>();
        services.AddSingleton<DirectBatches>();
        services.AddSingleton<DirectScreenshots>();
        services.AddHostedService<PendingIncidentSweeper>();
        return services;
    }
}
