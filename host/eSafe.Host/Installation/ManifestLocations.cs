namespace eSafe.Host.Installation;

/// <summary>The browsers the host can be registered with.</summary>
public enum Browser
{
    Chromium,
    Chrome,
    Edge,
    Brave,
}

/// <summary>The platforms whose folders and registry keys the host knows (all of them on any machine, for installer files and tests).</summary>
public enum HostPlatform
{
    Linux,
    MacOS,
    Windows,
}

/// <summary>
/// Where each browser looks for native messaging host manifests (Linux and macOS: folders; Windows:
/// registry keys that point at a manifest file beside the host).
/// </summary>
/// <remarks>
/// Brave reads Chrome's places, not folders of its own: brave-core's <c>BraveMainDelegate::PreSandboxStartup</c>
/// points the system folder at <c>/etc/opt/chrome/native-messaging-hosts</c> (Linux) and
/// <c>/Library/Google/Chrome/NativeMessagingHosts</c> (macOS), the user folder at the default profile's
/// <c>NativeMessagingHosts</c> (Linux: <c>~/.config/BraveSoftware/Brave-Browser</c>; macOS: Chrome's
/// <c>~/Library/Application Support/Google/Chrome</c>); on Windows it reads Chrome's registry key. So Brave and
/// Chrome share one manifest there, and uninstalling for one removes it for the other.
/// </remarks>
public static class ManifestLocations
{
    public static string ManifestFileName => Contracts.Native.NativeProtocol.HostName + ".json";

    /// <summary>The folder for a browser profile started with <c>--user-data-dir</c>.</summary>
    public static string ForUserDataDirectory(string userDataDirectory) =>
        Path.Combine(Path.GetFullPath(userDataDirectory), "NativeMessagingHosts");

    /// <summary>The platform this process runs on.</summary>
    public static HostPlatform Current =>
        OperatingSystem.IsWindows() ? HostPlatform.Windows : OperatingSystem.IsMacOS() ? HostPlatform.MacOS : HostPlatform.Linux;

    /// <summary>The folder for this user's default profile, or for every user (system).</summary>
    public static string ForBrowser(Browser browser, bool system) =>
        Current == HostPlatform.Windows
            // Windows finds the manifest through the registry; the file itself lives beside the host.
            ? Path.GetDirectoryName(Environment.ProcessPath) ?? AppContext.BaseDirectory
            : ForBrowser(browser, system, Current, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The manifest folder on Linux or macOS for a user whose home is <paramref name="home"/> (or every user).</summary>
    public static string ForBrowser(Browser browser, bool system, HostPlatform platform, string home)
    {
        if (platform == HostPlatform.MacOS)
        {
            var root = system ? "/Library" : home + "/Library";
            return root + "/" + (browser, system) switch
            {
                (Browser.Chrome or Browser.Brave, true) => "Google/Chrome",
                (Browser.Chrome or Browser.Brave, false) => "Application Support/Google/Chrome",
                (Browser.Edge, true) => "Microsoft/Edge",
                (Browser.Edge, false) => "Application Support/Microsoft Edge",
                _ => "Application Support/Chromium",
            } + "/NativeMessagingHosts";
        }

        if (platform == HostPlatform.Windows)
        {
            throw new ArgumentException("Windows names the manifest in the registry (WindowsRegistryKey), not by folder", nameof(platform));
        }

        return (browser, system) switch
        {
            (Browser.Chrome or Browser.Brave, true) => "/etc/opt/chrome/native-messaging-hosts",
            (Browser.Edge, true) => "/etc/opt/edge/native-messaging-hosts",
            (_, true) => "/etc/chromium/native-messaging-hosts",
            (Browser.Chrome, false) => home + "/.config/google-chrome/NativeMessagingHosts",
            (Browser.Edge, false) => home + "/.config/microsoft-edge/NativeMessagingHosts",
            (Browser.Brave, false) => home + "/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            _ => home + "/.config/chromium/NativeMessagingHosts",
        };
    }

    /// <summary>The registry key (under HKCU or HKLM) that names the manifest on Windows.</summary>
    public static string WindowsRegistryKey(Browser browser) => browser switch
    {
        Browser.Chrome or Browser.Brave => @"Software\Google\Chrome\NativeMessagingHosts\",
        Browser.Edge => @"Software\Microsoft\Edge\NativeMessagingHosts\",
        _ => @"Software\Chromium\NativeMessagingHosts\",
    } + Contracts.Native.NativeProtocol.HostName;
}
