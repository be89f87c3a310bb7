using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace eSafe.Server.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's <c>postgresql</c> package: <c>initdb</c> in a temporary folder, started
/// with <c>pg_ctl</c> on a free port of 127.0.0.1 only, with a password made now; stopped and deleted afterwards.
/// PostgreSQL refuses to run as root, so as root (CI) the cluster is run as the unprivileged user <c>nobody</c>.
/// One cluster serves the whole test run (<see cref="SharedAsync"/>); each test takes a fresh database in it.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string User = "esafe";
    private const string Unprivileged = "nobody";
    private static readonly Lock SharedLock = new();
    private static Task<PostgresCluster>? _shared;
    private readonly string _root;
    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _password;
    private int _databases;

    private PostgresCluster(string root, string bin, string? runAs, string password, int port)
    {
        _root = root;
        _bin = bin;
        _runAs = runAs;
        _password = password;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The run's cluster, started on first use (tests that need no PostgreSQL start none).</summary>
    public static Task<PostgresCluster> SharedAsync()
    {
        lock (SharedLock)
        {
            return _shared ??= Task.Run(() => StartAsync());
        }
    }

    /// <summary>Stops the run's cluster, if one was started (<c>PostgresClusterTeardown</c>).</summary>
    public static async Task StopSharedAsync()
    {
        Task<PostgresCluster>? shared;
        lock (SharedLock)
        {
            shared = _shared;
            _shared = null;
        }

        if (shared is { IsCompletedSuccessfully: true })
        {
            await (await shared).DisposeAsync();
        }
    }

    /// <param name="durable">
    /// Commits wait for their WAL on disk (fsync and synchronous_commit on, PostgreSQL's defaults), as in production and the
    /// ingest benchmark; the tests leave both off, as durability is not what they are about, speed is.
    /// </param>
    public static async Task<PostgresCluster> StartAsync(bool durable = false)
    {
        var bin = FindBinaries();
        var root = Directory.CreateTempSubdirectory("esafe-pg-").FullName;
        var runAs = Environment.IsPrivilegedProcess ? Unprivileged : null;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(root, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, root], runAs: null);
        }

        var cluster = new PostgresCluster(root, bin, runAs, password, FreePort());
        try
        {
            await cluster.PgAsync("initdb", ["-D", cluster.DataDirectory, "-U", User, "--auth=scram-sha-256", "--pwfile=" + passwordFile,
                "-E", "UTF8", "--no-locale", "--no-sync"]);
            File.Delete(passwordFile);
            // Loopback only, no Unix socket.
            var sync = durable ? "on" : "off";
            await cluster.PgAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", cluster.DataDirectory, "-l", Path.Combine(root, "server.log"),
                "-o", $"-c listen_addresses=127.0.0.1 -p {cluster.Port} -c unix_socket_directories= -c fsync={sync} -c synchronous_commit={sync} -c max_connections=200"]);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = _password,
        Database = database,
        // Tests make many small databases; an idle pool per database would pile up connections.
        MaxPoolSize = 10,
        ConnectionIdleLifetime = 2,
        ConnectionPruningInterval = 1,
    }.ConnectionString;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>A backup of the database as an operator takes one (<c>pg_dump</c>, custom format) in this cluster's folder; returns the file.</summary>
    public async Task<string> DumpAsync(string connectionString)
    {
        var file = Path.Combine(_root, $"backup-{Interlocked.Increment(ref _databases)}.dump");
        await PgAsync("pg_dump", ["--format=custom", "--file=" + file, "--dbname=" + Url(connectionString)]);
        return file;
    }

    /// <summary>Restores a <see cref="DumpAsync"/> file into a new, empty database (<c>pg_restore</c>); returns its connection string.</summary>
    public async Task<string> RestoreAsync(string dumpFile)
    {
        var database = await NewDatabaseAsync();
        await PgAsync("pg_restore", ["--exit-on-error", "--no-owner", "--dbname=" + Url(database), dumpFile]);
        return database;
    }

    // libpq's URI form of one of this cluster's connection strings, for its command-line programs.
    private string Url(string connectionString) =>
        $"postgresql://{User}:{_password}@127.0.0.1:{Port}/{new NpgsqlConnectionStringBuilder(connectionString).Database}";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await PgAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", DataDirectory]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped: the folder goes all the same.
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task PgAsync(string program, IReadOnlyList<string> args) => RunAsync(Path.Combine(_bin, program), args, _runAs);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, string? runAs)
    {
        var start = runAs is null ? new ProcessStartInfo(program) : new ProcessStartInfo("runuser");
        if (runAs is not null)
        {
            foreach (var arg in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // Not the test's folder: the unprivileged user may not enter it.
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
        }
    }

    // Debian's postgresql package puts each major version's programs in /usr/lib/postgresql/<version>/bin; the newest wins.
    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                   .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                   .FirstOrDefault()
               ?? throw new InvalidOperationException(
                   "PostgreSQL's programs are not installed (no /usr/lib/postgresql/*/bin/initdb): run ./build.sh --target=Install-Test-Tools, or apt-get install postgresql.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
