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

    private static readonly Option<Browser> BrowserOption = new("--browser")
    {
        Description = "Which browser: chromium, chrome or edge",
        DefaultValueFactory = _ => Browser.Chrome,
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
        var command = new Command("install", "Register the host with a browser, and point it at the eSafe server")
        {
            UserDataDir, SystemWide, BrowserOption, server, code, pins, keyFile, extensionId,
        };
        command.Validators.Add(Exclusive);
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
            var directory = ManifestDirectory(result);
            var manifest = HostInstaller.Install(directory, Environment.ProcessPath!, result.GetValue(extensionId)!,
                result.GetValue(BrowserOption), system);
            Console.WriteLine($"Registered {NativeProtocol.HostName}: {manifest}");

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

            Console.WriteLine($"Server settings saved: {HostInstaller.SaveConfig(paths, config, system)}");
            if (system || config.EnrolmentCode is null)
            {
                // Each user's host enrols on its first run.
                return 0;
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

    public static Command Uninstall()
    {
        var command = new Command("uninstall", "Remove the host's registration from a browser") { UserDataDir, SystemWide, BrowserOption };
        command.Validators.Add(Exclusive);
        command.SetAction(result =>
        {
            var removed = HostInstaller.Uninstall(ManifestDirectory(result), result.GetValue(BrowserOption), result.GetValue(SystemWide));
            Console.WriteLine(removed ? $"Removed {NativeProtocol.HostName}." : $"{NativeProtocol.HostName} was not registered there.");
            return 0;
        });
        return command;
    }

    private static Uri? ServerUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    private static string ManifestDirectory(ParseResult result) =>
        result.GetValue(UserDataDir) is { } profile
            ? ManifestLocations.ForUserDataDirectory(profile)
            : ManifestLocations.ForBrowser(result.GetValue(BrowserOption), result.GetValue(SystemWide));

    private static void Exclusive(System.CommandLine.Parsing.CommandResult result)
    {
        // Tokens first: reading --user-data-dir given without a folder throws instead of reporting it.
        if (result.GetResult(UserDataDir) is { Tokens.Count: > 0 } && result.GetValue(SystemWide))
        {
            result.AddError("--user-data-dir and --system cannot be used together");
        }
    }
}
