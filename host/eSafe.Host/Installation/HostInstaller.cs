using System.Runtime.Versioning;
using eSafe.Contracts.Native;
using eSafe.Host.Configuration;
using Microsoft.Win32;

namespace eSafe.Host.Installation;

/// <summary>Registers the host with a browser, and removes it again.</summary>
public static class HostInstaller
{
    /// <summary>Writes the manifest (and on Windows its registry key); returns where the manifest went.</summary>
    public static string Install(string manifestDirectory, string hostPath, string extensionId, Browser browser, bool system)
    {
        if (!Path.IsPathFullyQualified(hostPath) || !File.Exists(hostPath))
        {
            throw new InvalidOperationException($"the host binary {hostPath} does not exist");
        }

        var bytes = ManifestBytes(hostPath, extensionId); // checks the ID before anything is made
        var file = Path.Combine(manifestDirectory, ManifestLocations.ManifestFileName);
        Directory.CreateDirectory(manifestDirectory);
        // The browser runs as the pupil, so the manifest must be readable by everyone.
        File.WriteAllBytes(file, bytes);
        if (!OperatingSystem.IsWindows())
        {
            // Whatever the admin's umask, the pupil's browser must be able to read it.
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        if (OperatingSystem.IsWindows())
        {
            Register(browser, system, file);
        }

        return file;
    }

    /// <summary>The manifest naming the host binary and the one extension allowed to start it.</summary>
    public static byte[] ManifestBytes(string hostPath, string extensionId)
    {
        if (extensionId.Length != 32 || !extensionId.All(c => c is >= 'a' and <= 'p'))
        {
            throw new ArgumentException($"'{extensionId}' is not a Chrome extension ID (32 letters a to p)", nameof(extensionId));
        }

        var manifest = new HostManifest(NativeProtocol.HostName, "eSafe safeguarding monitor", hostPath, "stdio",
            [$"chrome-extension://{extensionId}/"]);
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Default.HostManifest);
    }

    /// <summary>Removes the manifest; true when there was one.</summary>
    public static bool Uninstall(string manifestDirectory, Browser browser, bool system)
    {
        var file = Path.Combine(manifestDirectory, ManifestLocations.ManifestFileName);
        var existed = File.Exists(file);
        if (existed)
        {
            // Only then: File.Delete throws when the folder itself is missing (a browser never set up).
            File.Delete(file);
        }

        if (OperatingSystem.IsWindows())
        {
            (system ? Registry.LocalMachine : Registry.CurrentUser).DeleteSubKey(ManifestLocations.WindowsRegistryKey(browser), throwOnMissingSubKey: false);
        }

        return existed;
    }

    /// <summary>
    /// Saves the server and enrolment code for the host to use: the user's own (mode 600), or with --system the
    /// machine's, mode 640 for <paramref name="group"/> (the accounts the browser runs as), never world-readable.
    /// </summary>
    public static string SaveConfig(HostPaths paths, HostConfig config, bool system, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!system)
        {
            StateFiles.Write(paths.ConfigFile, config, HostJson.Default.HostConfig);
            return paths.ConfigFile;
        }

        StateFiles.WriteForGroup(paths.MachineConfigFile, config, HostJson.Default.HostConfig, group);
        return paths.MachineConfigFile;
    }

    /// <summary>The group whose accounts may read the machine-wide settings when --group is not given.</summary>
    public static string DefaultGroup => OperatingSystem.IsMacOS() ? "staff" : "users";

    [SupportedOSPlatform("windows")]
    private static void Register(Browser browser, bool system, string manifestFile)
    {
        using var key = (system ? Registry.LocalMachine : Registry.CurrentUser).CreateSubKey(ManifestLocations.WindowsRegistryKey(browser));
        key.SetValue(null, manifestFile);
    }
}
