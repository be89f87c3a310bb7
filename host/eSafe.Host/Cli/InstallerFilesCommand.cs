using System.CommandLine;
using eSafe.Contracts.Native;
using eSafe.Host.Installation;

namespace eSafe.Host.Cli;

/// <summary>
/// <c>installer-files --platform windows|macos|linux --host-path PATH --output DIR [--browser …]</c>: what an
/// MSI, Inno Setup, Intune or pkg recipe ships to register the host for every user (docs/DEPLOYMENT.md).
/// </summary>
public static class InstallerFilesCommand
{
    public static Command Create()
    {
        var platform = new Option<string>("--platform") { Description = "windows, macos or linux", Required = true };
        var hostPath = new Option<string>("--host-path")
        {
            Description = @"Where the installer puts the host binary on the target machine, e.g. C:\Program Files\eSafe\esafe-host.exe or /usr/local/esafe/esafe-host",
            Required = true,
        };
        var output = new Option<string>("--output") { Description = "The folder to write the files into", Required = true };
        var browsers = new Option<string[]>("--browser")
        {
            Description = "chrome, chromium, edge, brave (repeat; default: all four)",
            AllowMultipleArgumentsPerToken = false,
        };
        var extensionId = new Option<string>("--extension-id")
        {
            Description = "The extension allowed to talk to the host",
            DefaultValueFactory = _ => NativeProtocol.ExtensionId,
        };
        var command = new Command("installer-files", "Write the files a Windows or macOS installer ships to register the host for every user")
        {
            platform, hostPath, output, browsers, extensionId,
        };
        command.Validators.Add(result =>
        {
            foreach (var name in result.GetValue(browsers) ?? [])
            {
                if (InstallCommands.ParseBrowser(name) is null)
                {
                    result.AddError($"--browser '{name}' is not one of chrome, chromium, edge, brave");
                }
            }

            if (result.GetValue(platform) is { } named && named is not ("windows" or "macos" or "linux"))
            {
                result.AddError($"--platform '{named}' is not one of windows, macos, linux");
                return;
            }

            var path = result.GetValue(hostPath) ?? "";
            var windows = result.GetValue(platform) == "windows";
            if (windows ? !(path.Length > 3 && path[1] == ':' && path[2] == '\\') : !path.StartsWith('/'))
            {
                result.AddError($"--host-path '{path}' must be absolute on the target machine ({(windows ? @"C:\…" : "/…")}): browsers refuse a relative path");
            }
        });
        command.SetAction(result =>
        {
            var target = result.GetValue(platform) switch
            {
                "windows" => HostPlatform.Windows,
                "macos" => HostPlatform.MacOS,
                _ => HostPlatform.Linux,
            };
            var chosen = result.GetValue(browsers) is { Length: > 0 } names
                ? InstallCommands.ParseBrowsers(names)
                : [Browser.Chrome, Browser.Chromium, Browser.Edge, Browser.Brave];
            try
            {
                foreach (var file in InstallerFiles.Write(result.GetValue(output)!, target, result.GetValue(hostPath)!, result.GetValue(extensionId)!, chosen))
                {
                    Console.WriteLine(file);
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"esafe-host installer-files: {e.Message}");
                return 2;
            }

            return 0;
        });
        return command;
    }
}
