namespace eSafe.Host.Installation;

/// <summary>The browsers the host can be registered with.</summary>
public enum Browser
{
    Chromium,
    Chrome,
    Edge,
}

/// <summary>
/// Where each browser looks for native messaging host manifests (Linux and macOS: folders; Windows:
/// registry keys that point at a manifest file beside the host).
/// </summary>
public static class ManifestLocations
{
    public static string ManifestFileName => Contracts.Native.NativeProtocol.HostName + ".json";

    /// <summary>The folder for a browser profile started with <c>--user-data-dir</c>.</summary>
    public static string ForUserDataDirectory(string userDataDirectory) =>
        Path.Combine(Path.GetFullPath(userDataDirectory), "NativeMessagingHosts");

    /// <summary>The folder for this user's default profile, or for every user (system).</summary>
    public static string ForBrowser(Browser browser, bool system)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows finds the manifest through the registry; the file itself lives beside the host.
            return Path.GetDirectoryName(Environment.ProcessPath) ?? AppContext.BaseDirectory;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            var root = system ? "/Library" : Path.Combine(home, "Library");
            return browser switch
            {
                Browser.Chrome => Path.Combine(root, system ? "Google/Chrome" : "Application Support/Google/Chrome", "NativeMessagingHosts"),
                Browser.Edge => Path.Combine(root, system ? "Microsoft/Edge" : "Application Support/Microsoft Edge", "NativeMessagingHosts"),
                _ => Path.Combine(root, "Application Support/Chromium", "NativeMessagingHosts"),
            };
        }

        return (browser, system) switch
        {
            (Browser.Chrome, true) => "/etc/opt/chrome/native-messaging-hosts",
            (Browser.Edge, true) => "/etc/opt/edge/native-messaging-hosts",
            (_, true) => "/etc/chromium/native-messaging-hosts",
            (Browser.Chrome, false) => Path.Combine(home, ".config/google-chrome/NativeMessagingHosts"),
            (Browser.Edge, false) => Path.Combine(home, ".config/microsoft-edge/NativeMessagingHosts"),
            _ => Path.Combine(home, ".config/chromium/NativeMessagingHosts"),
        };
    }

    /// <summary>The registry key (under HKCU or HKLM) that names the manifest on Windows.</summary>
    public static string WindowsRegistryKey(Browser browser) => browser switch
    {
        Browser.Chrome => @"Software\Google\Chrome\NativeMessagingHosts\",
        Browser.Edge => @"Software\Microsoft\Edge\NativeMessagingHosts\",
        _ => @"Software\Chromium\NativeMessagingHosts\",
    } + Contracts.Native.NativeProtocol.HostName;
}
