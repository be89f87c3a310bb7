using System.CommandLine;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server migrate --from DATA --to "Host=…"</c>: moves a stopped LiteDB server's data into an empty PostgreSQL
/// database, then prints the records per store on both sides and opens a sample from PostgreSQL to compare with LiteDB.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The LiteDB server's data folder (the server stopped).", Required = true };
        var to = new Option<string>("--to") { Description = "The PostgreSQL connection string of an empty database.", Required = true };
        var command = new Command("migrate",
            "Move a LiteDB server's data into PostgreSQL (its screenshots into the rows, or with --screenshots DIR into that folder); afterwards run `serve --data DATA --database \"…\"` with the same keys folder.") { from, to };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var keys = parse.GetValue<string?>(ServerCommands.KeysOption);
            // The target needs the source's keys but a data folder (and lock) of its own while both are open.
            var lockFolder = Directory.CreateTempSubdirectory("esafe-migrate-");
            try
            {
                using var source = DataFolder.Open(parse.GetValue(from)!, keys);
                using var target = DataFolder.Open(lockFolder.FullName, source.KeysDirectory, parse.GetValue(to)!,
                    parse.GetValue<string?>(ServerCommands.ScreenshotsOption));
                await using var sourceStores = Stores(source);
                // Opening the LiteDB stores brings older files up to date (clear fields, keyed audit) before anything is copied.
                _ = Resolve(sourceStores);
                var counts = await LiteToPostgres.RunAsync(source, target, cancellationToken);
                await output.WriteLineAsync($"Moved {source.Root} into {target.Postgres!.Description}:");
                foreach (var count in counts)
                {
                    await output.WriteLineAsync($"  {count.Store}: {count.Source} in LiteDB, {count.Target} in PostgreSQL{(count.Source == count.Target ? "" : "  MISMATCH")}");
                }

                await using var targetStores = Stores(target);
                var problems = await MigrationSpotCheck.RunAsync(Resolve(sourceStores), Resolve(targetStores), output, cancellationToken);
                var mismatched = counts.Count(c => c.Source != c.Target);
                if (mismatched > 0 || problems > 0)
                {
                    await error.WriteLineAsync($"esafe-server: {mismatched} stores' counts and {problems} spot checks differ: do not use the database.");
                    return 1;
                }

                await output.WriteLineAsync($"All {counts.Sum(c => c.Target)} records moved. Run the server with --data {source.Root} --database \"…\".");
                return 0;
            }
            catch (Exception e) when (e is ServerSetupException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                await error.WriteLineAsync("esafe-server: " + e.Message);
                return 1;
            }
            finally
            {
                lockFolder.Delete(recursive: true);
            }
        });
        return command;
    }

    private static ServiceProvider Stores(DataFolder folder) =>
        new ServiceCollection().AddSingleton(TimeProvider.System).AddStorage(folder).BuildServiceProvider();

    private static MigrationSpotCheck.Stores Resolve(IServiceProvider services) => new(
        services.GetRequiredService<IIncidentStore>(), services.GetRequiredService<IIncidentWorkflowStore>(), services.GetRequiredService<IDeviceStore>(),
        services.GetRequiredService<ISchoolStore>(), services.GetRequiredService<ISafeguardingStore>(), services.GetRequiredService<IAuditLog>(),
        services.GetRequiredService<IAnalystStore>(), services.GetRequiredService<ISchoolLibraryStore>(), services.GetRequiredService<IJobStore>(),
        services.GetRequiredService<IProposalStore>(), services.GetRequiredService<ISessionStore>(), services.GetRequiredService<ILoginThrottleStore>(),
        services.GetRequiredService<IEnrolmentCodeStore>());
}
