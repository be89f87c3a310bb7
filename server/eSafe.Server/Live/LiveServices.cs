using eSafe.Server.Storage;

namespace eSafe.Server.Live;

public static class LiveServices
{
    /// <summary>The change feed that goes with the store (see <see cref="IChangeFeed"/>), and the audit log that publishes to it.</summary>
    public static IServiceCollection AddChangeFeed<TAuditLog>(this IServiceCollection services, DataFolder data) where TAuditLog : class, IAuditLog
    {
        ArgumentNullException.ThrowIfNull(data);
        services.AddSingleton<LiveSubscribers>();
        if (data.Postgres is null)
        {
            services.AddSingleton<IChangeFeed, InProcessChangeFeed>();
        }
        else
        {
            services.AddSingleton<IChangeFeed, PostgresChangeFeed>();
        }

        services.AddSingleton<TAuditLog>();
        services.AddSingleton<IAuditLog>(provider => new AuditedChanges(provider.GetRequiredService<TAuditLog>(), provider.GetRequiredService<IChangeFeed>()));
        return services;
    }

    /// <summary>For the web app: with PostgreSQL, this process's LISTEN connection.</summary>
    public static IServiceCollection AddLiveListener(this IServiceCollection services, DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Postgres is not null)
        {
            services.AddSingleton<PostgresChangeListener>();
            services.AddHostedService(provider => provider.GetRequiredService<PostgresChangeListener>());
        }

        return services;
    }
}
