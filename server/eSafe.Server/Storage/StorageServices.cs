using eSafe.Server.Live;
using eSafe.Server.Storage.LiteDb;
using eSafe.Server.Storage.Postgres;

namespace eSafe.Server.Storage;

public static class StorageServices
{
    /// <summary>The embedded store: every store over the data folder's one LiteDB connection.</summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services, DataFolder data)
    {
        // A factory, so that the container disposes the folder (and its LiteDB connection and lock) with the app.
        services.AddSingleton(_ => data);
        services.AddSingleton(data.Cipher);
        services.AddSingleton(data.SealingKeys);
        services.AddSingleton<IPeriodKeyStore, LitePeriodKeyStore>();
        services.AddSingleton<PeriodKeys>();
        services.AddSingleton<IScreenshotFiles>(data.ScreenshotFiles);
        services.AddSingleton<IIncidentStore, LiteIncidentStore>();
        services.AddSingleton<IDurableCommits, LiteLogFlush>();
        services.AddSingleton<ISchoolStore, LiteSchoolStore>();
        services.AddSingleton<IDeviceStore, LiteDeviceStore>();
        services.AddSingleton<IAnalystStore, LiteAnalystStore>();
        services.AddChangeFeed<LiteAuditLog>(data);
        services.AddSingleton<ISchoolLibraryStore, LiteSchoolLibraryStore>();
        services.AddSingleton<IIncidentWorkflowStore, LiteIncidentWorkflowStore>();
        services.AddSingleton<ISafeguardingStore, LiteSafeguardingStore>();
        services.AddSingleton<IJobStore, LiteJobStore>();
        services.AddSingleton<IProposalStore, LiteProposalStore>();
        services.AddSingleton<IMissedSentenceStore, LiteMissedSentenceStore>();
        services.AddSingleton<ISessionStore, LiteSessionStore>();
        services.AddSingleton<ILoginThrottleStore, LiteLoginThrottleStore>();
        services.AddSingleton<IEnrolmentCodeStore, LiteEnrolmentCodeStore>();
        services.AddSingleton<IFleetStore, LiteFleetStore>();
        services.AddSingleton<IPendingIncidentStore, LitePendingIncidentStore>();
        services.AddSingleton<IDeviceRepeatStore, LiteDeviceRepeatStore>();
        return services;
    }

    /// <summary>The shared store: every store over the data folder's PostgreSQL database (<c>--database</c>).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _ = data.RequirePostgres();
        services.AddSingleton(_ => data);
        services.AddSingleton(data.Cipher);
        services.AddSingleton(data.SealingKeys);
        services.AddSingleton<IPeriodKeyStore, PostgresPeriodKeyStore>();
        services.AddSingleton<PeriodKeys>();
        services.AddSingleton<IIncidentStore, PostgresIncidentStore>();
        services.AddSingleton<IDurableCommits, PostgresCommits>();
        services.AddSingleton<ISchoolStore, PostgresSchoolStore>();
        services.AddSingleton<IDeviceStore, PostgresDeviceStore>();
        services.AddSingleton<IAnalystStore, PostgresAnalystStore>();
        services.AddChangeFeed<PostgresAuditLog>(data);
        services.AddSingleton<ISchoolLibraryStore, PostgresSchoolLibraryStore>();
        services.AddSingleton<IIncidentWorkflowStore, PostgresIncidentWorkflowStore>();
        services.AddSingleton<ISafeguardingStore, PostgresSafeguardingStore>();
        services.AddSingleton<IJobStore, PostgresJobStore>();
        services.AddSingleton<IProposalStore, PostgresProposalStore>();
        services.AddSingleton<ISessionStore, PostgresSessionStore>();
        services.AddSingleton<ILoginThrottleStore, PostgresLoginThrottleStore>();
        services.AddSingleton<IEnrolmentCodeStore, PostgresEnrolmentCodeStore>();
        services.AddSingleton<IMissedSentenceStore, PostgresMissedSentenceStore>();
        services.AddSingleton<IFleetStore, PostgresFleetStore>();
        services.AddSingleton<IPendingIncidentStore, PostgresPendingIncidentStore>();
        services.AddSingleton<IDeviceRepeatStore, PostgresDeviceRepeatStore>();
        if (data.HasScreenshotFiles)
        {
            services.AddHostedService<ScreenshotMover>();
        }

        return services;
    }

    /// <summary>PostgreSQL when the data folder was opened with a database, else the LiteDB file.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Postgres is null ? services.AddLiteDbStorage(data) : services.AddPostgresStorage(data);
    }
}
