using System.CommandLine;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server serve | school … | analyst … | contact … | protocol … | report sample | audit verify | device list|revoke | keys … | extension pack|id | quality export | migrate</c>.
/// Every command takes <c>--data DIR</c> (and <c>--database</c> for PostgreSQL); the admin commands need the server stopped
/// (the data folder is locked while it runs).
/// </summary>
public static class ServerCommands
{
    public const string DefaultDataDirectory = "./data";
    public const string KeysOption = "--keys";
    public const string KeysEnvironmentVariable = "ESAFE_KEYS_DIR";
    public const string DatabaseOption = "--database";
    public const string DatabaseEnvironmentVariable = "ESAFE_DATABASE";
    public const string ScreenshotsOption = "--screenshots";
    public const string ScreenshotsEnvironmentVariable = "ESAFE_SCREENSHOTS_DIR";

    /// <summary>Ctrl+C and SIGTERM are left to the web host, which stops gracefully.</summary>
    public static InvocationConfiguration Invocation() => new() { ProcessTerminationTimeout = null };

    public static RootCommand Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "The data folder: database, keys and demo.json (made when missing).",
            DefaultValueFactory = _ => DefaultDataDirectory,
            Recursive = true,
        };
        var keys = new Option<string?>(KeysOption)
        {
            Description = "The keys folder, when the keys are not kept in DATA/keys (default: $" + KeysEnvironmentVariable + "). "
                + "Kept apart, a copy of the data folder alone opens nothing.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(KeysEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            Recursive = true,
        };
        var database = new Option<string?>(DatabaseOption)
        {
            Description = "A PostgreSQL connection string (\"Host=…;Database=…;Username=…;Password=…\"): keep the data there, shared by any number "
                + "of server processes, instead of in DATA/esafe.db (default: $" + DatabaseEnvironmentVariable + ").",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DatabaseEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            Recursive = true,
        };
        var screenshots = new Option<string?>(ScreenshotsOption)
        {
            Description = "With --database: keep screenshots in this folder, which every server process of the database shares (a shared volume "
                + "across machines), rather than in the database (default: $" + ScreenshotsEnvironmentVariable + ").",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ScreenshotsEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            Recursive = true,
        };
        var root = new RootCommand("eSafe server: takes incidents from enrolled devices and serves the analyst console.") { data, keys, database, screenshots };
        root.Subcommands.Add(Serve(data));
        root.Subcommands.Add(School(data));
        root.Subcommands.Add(Analyst(data));
        root.Subcommands.Add(SafeguardingCommands.Contact(data));
        root.Subcommands.Add(SafeguardingCommands.Protocol(data));
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(AuditCommands.Create(data));
        root.Subcommands.Add(DeviceCommands.Create(data));
        root.Subcommands.Add(KeyCommands.Create(data));
        root.Subcommands.Add(ExtensionCommands.Create());
        root.Subcommands.Add(QualityCommands.Create(data));
        root.Subcommands.Add(MigrateCommand.Create());
        return root;
    }

    private static Command Serve(Option<string> data)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (';' between several).",
            DefaultValueFactory = _ => ServerOptions.DefaultUrls,
        };
        var demo = new Option<bool>("--demo")
        {
            Description = "Make (or reuse) a demo school and a demo analyst; print their credentials and write them to DATA/demo.json.",
        };
        var transport = new ServeTransportOptions();
        var serve = new Command("serve", "Run the server.") { urls, demo };
        transport.AddTo(serve);
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            WebApplication app;
            try
            {
                app = ServerApp.Build(transport.Apply(parse, new ServerOptions
                {
                    DataDirectory = parse.GetValue(data)!,
                    KeysDirectory = parse.GetValue<string?>(KeysOption),
                    Database = parse.GetValue<string?>(DatabaseOption),
                    ScreenshotsDirectory = parse.GetValue<string?>(ScreenshotsOption),
                    Urls = parse.GetValue(urls)!,
                    Demo = parse.GetValue(demo),
                    Output = output,
                }));
            }
            catch (ServerSetupException e)
            {
                await error.WriteLineAsync("esafe-server: " + e.Message);
                return 1;
            }

            await using (app)
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or ServerSetupException)
                {
                    await error.WriteLineAsync("esafe-server: cannot start: " + e.Message);
                    return 1;
                }

                await app.WaitForShutdownAsync(cancellationToken);
            }

            return 0;
        });
        return serve;
    }

    private static Command School(Option<string> data)
    {
        var name = new Option<string>("--name") { Description = "The school's name.", Required = true };
        var (addUses, addExpires) = EnrolmentCodeOptions.Create();
        var add = new Command("add", "Add a school and print its ID and enrolment code.") { name, addUses, addExpires };
        add.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var limits = EnrolmentCodeOptions.Limits(parse, addUses, addExpires);
            var (school, code) = await services.GetRequiredService<Provisioning>().AddSchoolAsync(parse.GetValue(name)!, "cli", cancellationToken, limits);
            await output.WriteLineAsync($"School: {school.Name}");
            await output.WriteLineAsync($"School ID: {school.Id}");
            await output.WriteLineAsync($"Enrolment code: {code}");
            await EnrolmentCodeOptions.DescribeAsync(services, code, output, cancellationToken);
            await output.WriteLineAsync("The code is shown only now; `esafe-server school enrolment-code` issues another.");
        }));

        var list = new Command("list", "List the schools.");
        list.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            foreach (var school in await services.GetRequiredService<ISchoolStore>().ListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"{school.Id}  {school.Name}");
            }
        }));

        var schoolId = new Option<string>("--school") { Description = "The school's ID.", Required = true };
        var (uses, expires) = EnrolmentCodeOptions.Create();
        var newCode = new Command("enrolment-code",
            "Issue a new enrolment code for a school; the old code stops working (devices already enrolled are not affected).")
        {
            schoolId, uses, expires,
        };
        newCode.Aliases.Add("new-code");
        newCode.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var limits = EnrolmentCodeOptions.Limits(parse, uses, expires);
            var code = await services.GetRequiredService<Provisioning>().IssueEnrolmentCodeAsync(parse.GetValue(schoolId)!, "cli", cancellationToken, limits);
            await output.WriteLineAsync($"Enrolment code: {code}");
            await EnrolmentCodeOptions.DescribeAsync(services, code, output, cancellationToken);
        }));

        return new Command("school", "Manage schools.") { add, list, newCode, Retention(data), SafeguardingCommands.ReportPassword(data) };
    }

    private static Command Retention(Option<string> data)
    {
        var schoolId = new Option<string>("--school") { Description = "The school's ID.", Required = true };
        var months = new Option<string?>("--months")
        {
            Description = $"Keep incidents this many months ({Storage.RetentionPeriod.MinMonths}-{Storage.RetentionPeriod.MaxMonths}) after the month "
                + $"they were received in, or \"default\" ({Storage.RetentionPeriod.DefaultMonths}: a school year and a term); without it, show the setting.",
        };
        var retention = new Command("retention", "Show or set how long a school's incidents are kept; expired months are deleted and their keys destroyed.")
        {
            schoolId, months,
        };
        retention.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var id = parse.GetValue(schoolId)!;
            SchoolRecord school;
            if (parse.GetValue(months) is not { } text)
            {
                school = await services.GetRequiredService<ISchoolStore>().GetAsync(id, cancellationToken)
                    ?? throw new ProvisioningException($"There is no school {id}.");
            }
            else
            {
                int? value = string.Equals(text, "default", StringComparison.OrdinalIgnoreCase) ? null
                    : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m
                    : throw new ProvisioningException($"--months takes a whole number of months or \"default\", not \"{text}\".");
                school = await services.GetRequiredService<Provisioning>().SetRetentionAsync(id, value, "cli", cancellationToken);
            }

            await output.WriteLineAsync($"Retention: {school.EffectiveRetentionMonths} months after the month received"
                + (school.RetentionMonths is null ? " (default)" : ""));
        }));
        return retention;
    }

    private static Command Analyst(Option<string> data)
    {
        var username = new Option<string>("--username") { Description = "The username to sign in with.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "The name shown in the console." };
        var role = new Option<string>("--role")
        {
            Description = "analyst or senior-analyst (every school), or school-contact (one school).",
            DefaultValueFactory = _ => Roles.Analyst,
        };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var school = new Option<string?>("--school") { Description = "The school of a school contact." };
        var qualifications = new Option<string?>("--qualifications")
        {
            Description = "An analyst's vetting and training, shown on what they sign, e.g. \"Enhanced DBS (2026); NPPV 2\".",
        };
        var add = new Command("add", "Add a console account and print its generated password.") { username, displayName, role, school, qualifications };
        add.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var (account, password) = await services.GetRequiredService<Provisioning>().AddAccountAsync(parse.GetValue(username)!,
                parse.GetValue(displayName), parse.GetValue(role)!, parse.GetValue(school), "cli", cancellationToken, parse.GetValue(qualifications));
            await output.WriteLineAsync($"Username: {account.Username}");
            await output.WriteLineAsync($"Password: {password}");
            await output.WriteLineAsync("The password is shown only now; `esafe-server analyst reset-password` issues another.");
        }));

        var resetUsername = new Option<string>("--username") { Description = "The account's username.", Required = true };
        var reset = new Command("reset-password", "Give an account a new generated password and end its sessions.") { resetUsername };
        reset.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var password = await services.GetRequiredService<Provisioning>().ResetPasswordAsync(parse.GetValue(resetUsername)!, "cli", cancellationToken);
            await output.WriteLineAsync($"Password: {password}");
        }));

        var vettingUsername = new Option<string>("--username") { Description = "The account's username.", Required = true };
        var vettingText = new Option<string?>("--qualifications") { Description = "The qualifications and vetting; empty clears them." };
        var vetting = new Command("qualifications", "Record an account's qualifications and vetting.") { vettingUsername, vettingText };
        vetting.SetAction((parse, cancellationToken) => WithServicesAsync(parse, data, async (services, output) =>
        {
            var account = await services.GetRequiredService<Provisioning>().SetQualificationsAsync(parse.GetValue(vettingUsername)!,
                parse.GetValue(vettingText), "cli", cancellationToken);
            await output.WriteLineAsync($"{account.Username}: {account.Qualifications ?? "(none recorded)"}");
        }));

        return new Command("analyst", "Manage console accounts.") { add, reset, vetting };
    }

    /// <summary>The data folder with the keys and the database the command line (or the environment) names.</summary>
    internal static DataFolder OpenDataFolder(ParseResult parse, Option<string> data) =>
        DataFolder.Open(parse.GetValue(data)!, parse.GetValue<string?>(KeysOption), parse.GetValue<string?>(DatabaseOption),
            parse.GetValue<string?>(ScreenshotsOption));

    internal static async Task<int> WithServicesAsync(ParseResult parse, Option<string> data, Func<IServiceProvider, TextWriter, Task> action)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        DataFolder folder;
        try
        {
            folder = OpenDataFolder(parse, data);
        }
        catch (ServerSetupException e)
        {
            await error.WriteLineAsync("esafe-server: " + e.Message);
            return 1;
        }

        var services = new ServiceCollection().AddServerCore(folder, TimeProvider.System).BuildServiceProvider();
        await using (services)
        {
            _ = services.GetRequiredService<DataFolder>(); // owned by the container from here
            try
            {
                await action(services, output);
            }
            catch (ProvisioningException e)
            {
                await error.WriteLineAsync("esafe-server: " + e.Message);
                return 1;
            }
        }

        return 0;
    }
}
