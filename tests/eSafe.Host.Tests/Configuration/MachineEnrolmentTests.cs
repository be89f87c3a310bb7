using System.Diagnostics;
using System.Runtime.Versioning;
using eSafe.Host.Configuration;
using eSafe.Host.Installation;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Configuration;

/// <summary>install --system: the machine's settings readable by one group only, the code gone once the machine is enrolled.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class MachineEnrolmentTests
{
    private const UnixFileMode OwnerReadWriteGroupRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    [Test]
    public async Task The_machine_enrols_once_its_files_are_mode_640_for_the_group_and_the_code_is_removed()
    {
        Assume.That(!OperatingSystem.IsWindows() && Environment.UserName == "root", "chgrp to another group needs root (as on CI)");
        await using var server = await InProcessServer.StartAsync();
        using var folder = new TemporaryFolder();
        var paths = new HostPaths(folder.Sub("admin-state"), folder.Sub("machine"));
        var config = new HostConfig(server.Url, server.Demo.EnrolmentCode);

        HostInstaller.SaveConfig(paths, config, system: true, group: "daemon");
        File.GetUnixFileMode(paths.MachineConfigFile).Should().Be(OwnerReadWriteGroupRead, "the code must not be world-readable");
        Group(paths.MachineConfigFile).Should().Be("daemon");

        var machine = await DeviceEnrolment.EnrolMachineAsync(paths, config, "0.1.0", "daemon", CancellationToken.None);

        File.ReadAllText(paths.MachineConfigFile).Should().NotContain(server.Demo.EnrolmentCode);
        StateFiles.Read(paths.MachineConfigFile, HostJson.Default.HostConfig)!.ServerUrl.Should().Be(server.Url);
        foreach (var file in new[] { paths.MachineConfigFile, paths.MachineEnrolmentFile })
        {
            File.GetUnixFileMode(file).Should().Be(OwnerReadWriteGroupRead, file);
            Group(file).Should().Be("daemon", file);
        }

        // A pupil's host: its own state folder, no settings of its own, the machine's without a code.
        var pupil = new HostPaths(folder.Sub("pupil-state"), folder.Sub("machine"));
        var read = DeviceEnrolment.ReadConfig(pupil)!;
        read.EnrolmentCode.Should().BeNull();
        var used = await DeviceEnrolment.EnsureAsync(pupil, read, "0.1.0", CancellationToken.None);
        used.DeviceId.Should().Be(machine.DeviceId, "every user's host reports as the machine enrolled at install");
        File.Exists(pupil.EnrolmentFile).Should().BeFalse("nothing was enrolled again");
        DeviceEnrolment.ReadMachineEnrolment(pupil)!.DeviceId.Should().Be(machine.DeviceId, "what status shows a pupil");
    }

    [Test]
    public void A_group_that_does_not_exist_is_a_clear_error()
    {
        Assume.That(!OperatingSystem.IsWindows(), "Unix groups");
        using var folder = new TemporaryFolder();
        var paths = new HostPaths(folder.Sub("state"), folder.Sub("machine"));

        var act = () => HostInstaller.SaveConfig(paths, new HostConfig(new Uri("https://esafe.example.org/"), "CODE"), system: true,
            group: "no-such-group-esafe");

        act.Should().Throw<IOException>().WithMessage("*no-such-group-esafe*");
        File.GetUnixFileMode(paths.MachineConfigFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            "a file whose group could not be set stays readable by its owner only");
    }

    private static string Group(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%G", path]) { RedirectStandardOutput = true })!;
        var group = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return group;
    }
}
