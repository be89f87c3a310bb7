using System.CommandLine;
using eSafe.Contracts.Native;
using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Installation;

namespace eSafe.Host.Cli;

/// <summary><c>install</c> and <c>uninstall</c>: register the host with a browser and point it at a server.</summary>
public static class InstallCommands
{
    private static readonly Option<string?> UserDataDir = new("--user-data-dir")
    {
        Description = "Register with the browser profile in this folder (a browser started with --user-data-dir)",
    };

    private static readonly Option<bool> SystemWide = new("--system")
    {
        Description = "Register for every user of this machine (needs administrator rights)",
    };

    // Strings, not Option<Browser[]>: System.CommandLine builds arrays by reflection, which Native AOT lacks.
    private static readonly Option<string[]> BrowserOption = new("--browser")
    {
        Description = "Which browser: chrome (default), chromium, edge or brave; repeat it for several (each looks in its own place)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Install()
    {
        // A string, not Option<Uri>: System.CommandLine converts Uri by reflection, which Native AOT lacks.
        var server = new Option<string?>("--server") { Description = "The eSafe server's URL, e.g. https://esafe.example.org" };
        var code = new Option<string?>("--enrolment-code") { Description = "The school's enrolment code, from the eSafe console" };
        var pins = new Option<string[]>("--pin-sha256")
        {
            Description = "Accept only a server with this public key: base64 or hex SHA-256 of its SubjectPublicKeyInfo (repeat for rotation); replaces the certificate chain check",
            AllowMultipleArgumentsPerToken = false,
        };
        var keyFile = new Option<string?>("--user-id-key-file")
        {
            Description = "The school's user-ID key file (esafe-host school-key new); kept in the host's settings, never sent to the server",
        };
        var extensionId = new Option<string>("--extension-id")
        {
            Description = "The extension allowed to talk to the host",
            DefaultValueFactory = _ => NativeProtocol.ExtensionId,
        };
        var group = new Option<string?>("--group")
        {
            Description = "With --system: the group of the accounts that use the browser, which alone may read the machine's settings (default: users on Linux, staff on macOS)",
        };
        var command = new Command("install", "Register the host with a browser, and point it at the eSafe server")
        {
            UserDataDir, SystemWide, BrowserOption, server, code, pins, keyFile, extensionId, group,
        };
        command.Validators.Add(Exclusive);
        command.Validators.Add(ValidBrowsers);
        command.Validators.Add(result =>
        {
            if (result.GetValue(server) is { } given && ServerUrl(given) is null)
            {
                result.AddError($"--server '{given}' is not an absolute http(s) URL");
            }
            else if (result.GetValue(server) is { } url && ServerTransport.Problem(ServerUrl(url)!) is { } problem)
            {
                result.AddError($"--server: {problem}");
            }

            if (result.GetValue(keyFile) is { } file)
            {
                try
                {
                    SchoolKeyFile.Read(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    result.AddError($"--user-id-key-file: {e.Message}");
                }
            }

            foreach (var pin in result.GetValue(pins) ?? [])
            {
                if (ServerTransport.ParsePin(pin) is null)
                {
                    result.AddError($"--pin-sha256 '{pin}' is not a SHA-256 in base64 (44 characters) or hex (64 digits)");
                }
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            var system = result.GetValue(SystemWide);
            foreach (var browser in Browsers(result))
            {
                var manifest = HostInstaller.Install(ManifestDirectory(result, browser), Environment.ProcessPath!, result.GetValue(extensionId)!,
                    browser, system);
                Console.WriteLine($"Registered {NativeProtocol.HostName} for {browser}: {manifest}");
            }

            if (result.GetValue(server) is not { } given || ServerUrl(given) is not { } url)
            {
                return 0;
            }

            var paths = HostPaths.ForCurrentUser();
            var pinned = result.GetValue(pins) is { Length: > 0 } p ? p.Select(x => Convert.ToBase64String(ServerTransport.ParsePin(x)!)).ToArray() : null;
            var key = result.GetValue(keyFile) is { } file ? Convert.ToBase64String(SchoolKeyFile.Read(file)) : null;
            var config = new HostConfig(url, result.GetValue(code), pinned, key);
            if (key is null)
            {
                Console.Error.WriteLine("No school user-ID key: incidents will carry the user ID 000…0 until one is installed (--user-id-key-file) or set by Chrome policy (userIdKey).");
            }

            var readers = result.GetValue(group) ?? HostInstaller.DefaultGroup;
            Console.WriteLine($"Server settings saved: {HostInstaller.SaveConfig(paths, config, system, system ? readers : null)}"
                + (system && !OperatingSystem.IsWindows() ? $" (readable by group {readers} only)" : ""));
            if (config.EnrolmentCode is null)
            {
                return 0;
            }

            if (system)
            {
                return await EnrolMachineAsync(paths, config, readers, cancellationToken);
            }

            try
            {
                var enrolment = await DeviceEnrolment.EnsureAsync(paths, config, HostInfo.Version, cancellationToken);
                Console.WriteLine($"Enrolled with {url} as device {enrolment.DeviceId} of school {enrolment.SchoolId}");
            }
            catch (Exception e) when (e is HttpRequestException or Refit.ApiExceptionBase or TaskCanceledException)
            {
                Console.Error.WriteLine($"Not enrolled yet ({e.Message}); the host will try again when the browser starts it.");
            }

            return 0;
        });
        return command;
    }

    // The machine enrols once, now; without the server the code stays (mode 640) and each user's host enrols on first use.
    private static async Task<int> EnrolMachineAsync(HostPaths paths, HostConfig config, string group, CancellationToken cancellationToken)
    {
        try
        {
            var enrolment = await DeviceEnrolment.EnrolMachineAsync(paths, config, HostInfo.Version, group, cancellationToken);
            Console.WriteLine($"Enrolled this machine with {config.ServerUrl} as device {enrolment.DeviceId} of school {enrolment.SchoolId}; the enrolment code is no longer kept");
        }
        catch (Exception e) when (e is HttpRequestException or Refit.ApiExceptionBase or TaskCanceledException)
        {
            Console.Error.WriteLine($"Machine not enrolled yet ({e.Message}): the code stays in {paths.MachineConfigFile} until install --system is run again; meanwhile each user's host enrols on first use.");
        }

        return 0;
    }

    public static Command Uninstall()
    {
        var command = new Command("uninstall", "Remove the host's registration from a browser") { UserDataDir, SystemWide, BrowserOption };
        command.Validators.Add(Exclusive);
        command.Validators.Add(ValidBrowsers);
        command.SetAction(result =>
        {
            foreach (var browser in Browsers(result))
            {
                var removed = HostInstaller.Uninstall(ManifestDirectory(result, browser), browser, result.GetValue(SystemWide));
                Console.WriteLine(removed ? $"Removed {NativeProtocol.HostName} from {browser}." : $"{NativeProtocol.HostName} was not registered for {browser} there.");
            }

            return 0;
        });
        return command;
    }

    private static Uri? ServerUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    private static string ManifestDirectory(ParseResult result, Browser browser) =>
        result.GetValue(UserDataDir) is { } profile
            ? ManifestLocations.ForUserDataDirectory(profile)
            : ManifestLocations.ForBrowser(browser, result.GetValue(SystemWide));

    /// <summary>The browsers named by --browser (each once), Chrome when none is.</summary>
    public static IReadOnlyList<Browser> Browsers(ParseResult result) => ParseBrowsers(result.GetValue(BrowserOption));

    public static IReadOnlyList<Browser> ParseBrowsers(string[]? names) =>
        names is null or { Length: 0 } ? [Browser.Chrome] : [.. names.Select(n => ParseBrowser(n)!.Value).Distinct()];

    public static Browser? ParseBrowser(string name) => name.ToLowerInvariant() switch
    {
        "chrome" => Browser.Chrome,
        "chromium" => Browser.Chromium,
        "edge" => Browser.Edge,
        "brave" => Browser.Brave,
        _ => null,
    };

    private static void ValidBrowsers(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var name in result.GetValue(BrowserOption) ?? [])
        {
            if (ParseBrowser(name) is null)
            {
                result.AddError($"--browser '{name}' is not one of chrome, chromium, edge, brave");
            }
        }
    }

    private static void Exclusive(System.CommandLine.Parsing.CommandResult result)
    {
        // Tokens first: reading --user-data-dir given without a folder throws instead of reporting it.
        if (result.GetResult(UserDataDir) is { Tokens.Count: > 0 } && result.GetValue(SystemWide))
        {
            result.AddError("--user-data-dir and --system cannot be used together");
        }
    }
}
