using eSafe.Host.Installation;

namespace eSafe.Host.Tests.Installation;

public sealed class ManifestLocationsTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Test]
    public void The_manifest_is_named_after_the_host() =>
        ManifestLocations.ManifestFileName.Should().Be("com.esafe.host.json");

    [TestCase("profile")]
    [TestCase("./profile")]
    [TestCase("elsewhere/../profile")]
    public void A_user_data_dir_keeps_its_hosts_in_NativeMessagingHosts_by_its_full_path(string userDataDir) =>
        ManifestLocations.ForUserDataDirectory(userDataDir).Should().Be(Path.Combine(Path.GetFullPath("profile"), "NativeMessagingHosts"));

    // Chrome's documented folders: developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location
    [TestCase(Browser.Chrome, true, "/etc/opt/chrome/native-messaging-hosts")]
    [TestCase(Browser.Chromium, true, "/etc/chromium/native-messaging-hosts")]
    [TestCase(Browser.Edge, true, "/etc/opt/edge/native-messaging-hosts")]
    [TestCase(Browser.Chrome, false, "~/.config/google-chrome/NativeMessagingHosts")]
    [TestCase(Browser.Chromium, false, "~/.config/chromium/NativeMessagingHosts")]
    [TestCase(Browser.Edge, false, "~/.config/microsoft-edge/NativeMessagingHosts")]
    [TestCase(Browser.Brave, true, "/etc/opt/chrome/native-messaging-hosts")]
    [TestCase(Browser.Brave, false, "~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts")]
    public void On_Linux_each_browser_has_its_folder(Browser browser, bool system, string expected)
    {
        Assume.That(OperatingSystem.IsLinux(), "Linux folders");

        ManifestLocations.ForBrowser(browser, system).Should().Be(expected.Replace("~", Home, StringComparison.Ordinal));
    }

    [TestCase(Browser.Chrome, true, "/Library/Google/Chrome/NativeMessagingHosts")]
    [TestCase(Browser.Chromium, true, "/Library/Application Support/Chromium/NativeMessagingHosts")]
    [TestCase(Browser.Edge, true, "/Library/Microsoft/Edge/NativeMessagingHosts")]
    [TestCase(Browser.Chrome, false, "~/Library/Application Support/Google/Chrome/NativeMessagingHosts")]
    [TestCase(Browser.Chromium, false, "~/Library/Application Support/Chromium/NativeMessagingHosts")]
    [TestCase(Browser.Edge, false, "~/Library/Application Support/Microsoft Edge/NativeMessagingHosts")]
    [TestCase(Browser.Brave, true, "/Library/Google/Chrome/NativeMessagingHosts")]
    [TestCase(Browser.Brave, false, "~/Library/Application Support/Google/Chrome/NativeMessagingHosts")]
    public void On_macOS_each_browser_has_its_folder(Browser browser, bool system, string expected)
    {
        // Checked on any machine: installer files for macOS are made elsewhere too.
        ManifestLocations.ForBrowser(browser, system, HostPlatform.MacOS, "/Users/pupil").Should().Be(expected.Replace("~", "/Users/pupil", StringComparison.Ordinal));
        if (OperatingSystem.IsMacOS())
        {
            ManifestLocations.ForBrowser(browser, system).Should().Be(expected.Replace("~", Home, StringComparison.Ordinal));
        }
    }

    [TestCase(Browser.Chrome, @"Software\Google\Chrome\NativeMessagingHosts\com.esafe.host")]
    [TestCase(Browser.Chromium, @"Software\Chromium\NativeMessagingHosts\com.esafe.host")]
    [TestCase(Browser.Edge, @"Software\Microsoft\Edge\NativeMessagingHosts\com.esafe.host")]
    [TestCase(Browser.Brave, @"Software\Google\Chrome\NativeMessagingHosts\com.esafe.host")]
    public void On_Windows_each_browser_has_its_registry_key(Browser browser, string expected) =>
        ManifestLocations.WindowsRegistryKey(browser).Should().Be(expected);
}
