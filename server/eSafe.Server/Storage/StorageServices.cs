using eSafe.Server.Storage.LiteDb;

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
        services.AddSingleton<IIncidentStore, LiteIncidentStore>();
        services.AddSingleton<ISchoolStore, LiteSchoolStore>();
        services.AddSingleton<IDeviceStore, LiteDeviceStore>();
        services.AddSingleton<IAnalystStore, LiteAnalystStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
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
}
