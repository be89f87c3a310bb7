using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace eSafe.Server.Tests.Storage;

/// <summary>A kind of store the contract tests run against: the embedded LiteDB file, or a fresh database in the run's PostgreSQL.</summary>
public sealed class StoreKind(string name, Func<Task<string?>> newDatabase, bool screenshotFiles = false)
{
    public static readonly StoreKind LiteDb = new("LiteDB", () => Task.FromResult<string?>(null));
    public static readonly StoreKind Postgres = new("PostgreSQL", NewPostgresDatabaseAsync);

    /// <summary>PostgreSQL with its screenshots in a folder of files the server processes share (<c>--screenshots</c>).</summary>
    public static readonly StoreKind PostgresWithScreenshotFiles = new("PostgreSQL, screenshot files", NewPostgresDatabaseAsync, screenshotFiles: true);

    /// <summary>For [TestFixtureSource]: every kind.</summary>
    public static IEnumerable<StoreKind> All => [LiteDb, Postgres];

    /// <summary>For [TestFixtureSource] of tests that store screenshots: every kind, and PostgreSQL with its screenshots in files.</summary>
    public static IEnumerable<StoreKind> AllScreenshotStores => [LiteDb, Postgres, PostgresWithScreenshotFiles];

    public string Name { get; } = name;

    /// <summary>A connection string for a new empty database (null for LiteDB).</summary>
    public Task<string?> NewDatabaseAsync() => newDatabase();

    /// <summary>Every store over a new data folder (and database), as the server wires them.</summary>
    public async Task<Stores> OpenAsync(ServerOptions? options = null)
    {
        var directory = ServerHarness.NewDataDirectory();
        return Stores.Open(directory, await NewDatabaseAsync(), options,
            screenshotsDirectory: screenshotFiles ? Path.Combine(directory, "shared-screenshots") : null);
    }

    private static async Task<string?> NewPostgresDatabaseAsync() => await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();

    public override string ToString() => Name;
}

/// <summary>The stores of one data folder; disposing closes them and deletes the folder.</summary>
public sealed class Stores : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _directory;

    private Stores(string directory, ServiceProvider services)
    {
        _directory = directory;
        _services = services;
    }

    /// <param name="keysDirectory">A keys folder of its own (processes sharing one database share their keys).</param>
    /// <param name="screenshotsDirectory">With a database: the folder of screenshot files its server processes share.</param>
    public static Stores Open(string directory, string? database, ServerOptions? options = null, string? keysDirectory = null,
        string? screenshotsDirectory = null)
    {
        var folder = DataFolder.Open(directory, keysDirectory, database, screenshotsDirectory);
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddSingleton(options ?? new ServerOptions()).AddStorage(folder)
            .BuildServiceProvider();
        return new Stores(directory, services);
    }

    public DataFolder Folder => _services.GetRequiredService<DataFolder>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public object Get(Type service) => _services.GetRequiredService(service);

    public async ValueTask DisposeAsync()
    {
        _ = Folder; // resolved, so that the container closes it
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
