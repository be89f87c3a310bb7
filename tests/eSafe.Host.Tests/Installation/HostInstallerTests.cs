using System.Runtime.Versioning;
using System.Text.Json;
using eSafe.Contracts.Native;
using eSafe.Host.Configuration;
using eSafe.Host.Installation;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Installation;

public sealed class HostInstallerTests
{
    private TemporaryFolder _folder = null!;
    private string _hostPath = null!;
    private string _profile = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TemporaryFolder();
        _hostPath = _folder.Sub("esafe-host");
        File.WriteAllText(_hostPath, "a host binary");
        _profile = _folder.Sub("profile");
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void The_manifest_for_a_user_data_dir_names_the_host_its_path_and_the_one_extension()
    {
        var directory = ManifestLocations.ForUserDataDirectory(_profile);

        var file = HostInstaller.Install(directory, _hostPath, NativeProtocol.ExtensionId, Browser.Chromium, system: false);

        file.Should().Be(Path.Combine(_profile, "NativeMessagingHosts", "com.esafe.host.json"));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = manifest.RootElement;
        root.GetProperty("name").GetString().Should().Be("com.esafe.host");
        root.GetProperty("path").GetString().Should().Be(_hostPath);
        Path.IsPathFullyQualified(root.GetProperty("path").GetString()!).Should().BeTrue();
        root.GetProperty("type").GetString().Should().Be("stdio");
        root.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace();
        root.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()).Should()
            .Equal("chrome-extension://hiipfkacdajbinoadfgohldjcebaoijj/");
        root.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("name", "description", "path", "type", "allowed_origins");
    }

    [Test]
    public void Another_extension_ID_is_the_allowed_origin_when_given()
    {
        var file = HostInstaller.Install(_folder.Sub("hosts"), _hostPath, "abcdefghijklmnopabcdefghijklmnop", Browser.Chrome, system: false);

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(file));
        manifest.RootElement.GetProperty("allowed_origins")[0].GetString().Should().Be("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
    }

    [Test]
    public void Installing_again_replaces_the_manifest()
    {
        var directory = _folder.Sub("hosts");
        var otherHost = _folder.Sub("esafe-host-2");
        File.WriteAllText(otherHost, "a newer host binary");

        HostInstaller.Install(directory, _hostPath, NativeProtocol.ExtensionId, Browser.Chrome, system: false);
        var file = HostInstaller.Install(directory, otherHost, NativeProtocol.ExtensionId, Browser.Chrome, system: false);

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(file));
        manifest.RootElement.GetProperty("path").GetString().Should().Be(otherHost);
    }

    [TestCase("")]
    [TestCase("hiipfkacdajbinoadfgohldjcebaoij")]
    [TestCase("hiipfkacdajbinoadfgohldjcebaoijjj")]
    [TestCase("HIIPFKACDAJBINOADFGOHLDJCEBAOIJJ")]
    [TestCase("hiipfkacdajbinoadfgohldjcebaoijq")]
    [TestCase("hiipfkacdajbinoadfgohldjcebaoij/")]
    [TestCase("chrome-extension://hiipfkacdajbinoadfgohldjcebaoijj/")]
    public void A_bad_extension_ID_is_refused_and_nothing_is_written(string extensionId)
    {
        var directory = _folder.Sub("hosts");

        var install = () => HostInstaller.Install(directory, _hostPath, extensionId, Browser.Chrome, system: false);

        install.Should().Throw<ArgumentException>().WithMessage($"'{extensionId}' is not a Chrome extension ID (32 letters a to p)*");
        Directory.Exists(directory).Should().BeFalse();
    }

    [TestCase("missing")]
    [TestCase("relative")]
    [TestCase("a folder")]
    public void A_host_binary_that_is_not_there_is_refused_and_nothing_is_written(string kind)
    {
        var directory = _folder.Sub("hosts");
        var hostPath = kind switch
        {
            "missing" => _folder.Sub("no-such-host"),
            "relative" => Path.GetFileName(_hostPath),
            _ => _folder.Path,
        };

        var install = () => HostInstaller.Install(directory, hostPath, NativeProtocol.ExtensionId, Browser.Chrome, system: false);

        install.Should().Throw<InvalidOperationException>().WithMessage($"the host binary {hostPath} does not exist");
        Directory.Exists(directory).Should().BeFalse();
    }

    [Test]
    public void Uninstalling_removes_the_manifest_and_says_whether_there_was_one()
    {
        var directory = ManifestLocations.ForUserDataDirectory(_profile);
        var file = HostInstaller.Install(directory, _hostPath, NativeProtocol.ExtensionId, Browser.Chrome, system: false);
        var neighbour = Path.Combine(directory, "org.other.host.json");
        File.WriteAllText(neighbour, "{}");

        HostInstaller.Uninstall(directory, Browser.Chrome, system: false).Should().BeTrue();
        File.Exists(file).Should().BeFalse();
        File.Exists(neighbour).Should().BeTrue("other hosts' manifests are not ours to remove");
        HostInstaller.Uninstall(directory, Browser.Chrome, system: false).Should().BeFalse();
    }

    [Test]
    public void Uninstalling_from_a_profile_that_never_had_the_host_says_so()
    {
        HostInstaller.Uninstall(ManifestLocations.ForUserDataDirectory(_folder.Sub("never-used")), Browser.Chrome, system: false)
            .Should().BeFalse();
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public void The_users_settings_are_readable_by_that_user_only()
    {
        Assume.That(!OperatingSystem.IsWindows(), "Unix file modes");
        var paths = new HostPaths(_folder.Sub("state"), _folder.Sub("machine"));
        var config = new HostConfig(new Uri("https://esafe.example.org/"), "ENROL-123");

        var file = HostInstaller.SaveConfig(paths, config, system: false);

        file.Should().Be(paths.ConfigFile);
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        StateFiles.Read(file, HostJson.Default.HostConfig).Should().Be(config);
        DeviceEnrolment.ReadConfig(paths).Should().Be(config);
    }

    [Test]
    public void Machine_wide_settings_are_what_a_user_without_their_own_reads()
    {
        var paths = new HostPaths(_folder.Sub("state"), _folder.Sub("machine"));
        var machine = new HostConfig(new Uri("https://esafe.example.org/"), null);
        var own = new HostConfig(new Uri("https://other.example.org/"), "CODE");

        HostInstaller.SaveConfig(paths, machine, system: true).Should().Be(paths.MachineConfigFile);
        DeviceEnrolment.ReadConfig(paths).Should().Be(machine);
        HostInstaller.SaveConfig(paths, own, system: false);
        DeviceEnrolment.ReadConfig(paths).Should().Be(own);
    }
}
