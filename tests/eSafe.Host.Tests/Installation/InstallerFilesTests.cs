using System.Text;
using System.Text.Json;
using eSafe.Contracts.Native;
using eSafe.Host.Installation;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Installation;

/// <summary>What a Windows or macOS installer ships, made by the code that install --system runs.</summary>
public sealed class InstallerFilesTests
{
    private static readonly Browser[] Every = [Browser.Chrome, Browser.Chromium, Browser.Edge, Browser.Brave];

    [Test]
    public void Windows_gets_the_manifest_beside_the_host_and_one_HKLM_key_per_browser_naming_it()
    {
        using var folder = new TemporaryFolder();
        const string host = @"C:\Program Files\eSafe\esafe-host.exe";

        var files = InstallerFiles.Write(folder.Path, HostPlatform.Windows, host, NativeProtocol.ExtensionId, Every);

        files.Should().Equal("com.esafe.host.json", "esafe-host.reg");
        var reg = File.ReadAllBytes(folder.Sub("esafe-host.reg"));
        reg.Take(2).Should().Equal(new byte[] { 0xFF, 0xFE }, "regedit reads a .reg file as UTF-16 with its byte-order mark");
        var text = Encoding.Unicode.GetString(reg, 2, reg.Length - 2);
        text.Should().StartWith("Windows Registry Editor Version 5.00\r\n");
        foreach (var browser in Every)
        {
            text.Should().Contain($"[HKEY_LOCAL_MACHINE\\{ManifestLocations.WindowsRegistryKey(browser)}]\r\n@=\"C:\\\\Program Files\\\\eSafe\\\\com.esafe.host.json\"\r\n");
        }

        text.Split("[HKEY_LOCAL_MACHINE").Should().HaveCount(4, "three keys: Brave reads Chrome's, written once");
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(folder.Sub("com.esafe.host.json")));
        manifest.RootElement.GetProperty("path").GetString().Should().Be(host);
        manifest.RootElement.GetProperty("allowed_origins")[0].GetString().Should().Be($"chrome-extension://{NativeProtocol.ExtensionId}/");
    }

    [Test]
    public void The_reg_file_keys_are_the_ones_install_writes_for_the_same_browser()
    {
        var text = InstallerFiles.RegFile(@"D:\eSafe\com.esafe.host.json", [Browser.Edge]);

        text.Should().Contain(@"[HKEY_LOCAL_MACHINE\Software\Microsoft\Edge\NativeMessagingHosts\com.esafe.host]")
            .And.Contain(@"@=""D:\\eSafe\\com.esafe.host.json""");
    }

    [TestCase(HostPlatform.MacOS, new[]
    {
        "Library/Google/Chrome/NativeMessagingHosts/com.esafe.host.json",
        "Library/Application Support/Chromium/NativeMessagingHosts/com.esafe.host.json",
        "Library/Microsoft/Edge/NativeMessagingHosts/com.esafe.host.json",
    })]
    [TestCase(HostPlatform.Linux, new[]
    {
        "etc/opt/chrome/native-messaging-hosts/com.esafe.host.json",
        "etc/chromium/native-messaging-hosts/com.esafe.host.json",
        "etc/opt/edge/native-messaging-hosts/com.esafe.host.json",
    })]
    public void MacOS_and_Linux_get_the_manifest_in_each_browsers_system_folder_as_a_package_root(HostPlatform platform, string[] expected)
    {
        using var folder = new TemporaryFolder();
        const string host = "/usr/local/esafe/esafe-host";

        var files = InstallerFiles.Write(folder.Path, platform, host, NativeProtocol.ExtensionId, Every);

        files.Should().Equal(expected);
        var installed = HostInstaller.ManifestBytes(host, NativeProtocol.ExtensionId);
        foreach (var file in files)
        {
            File.ReadAllBytes(Path.Combine(folder.Path, file)).Should().Equal(installed, "the same bytes install --system writes");
        }
    }

    [Test]
    public void A_wrong_extension_id_is_refused_and_nothing_is_written()
    {
        using var folder = new TemporaryFolder();

        var act = () => InstallerFiles.Write(folder.Path, HostPlatform.Windows, @"C:\eSafe\esafe-host.exe", "not-an-id", Every);

        act.Should().Throw<ArgumentException>().WithMessage("*not a Chrome extension ID*");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }
}
