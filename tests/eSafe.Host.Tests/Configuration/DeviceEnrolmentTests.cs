using eSafe.Host.Configuration;
using eSafe.Host.Installation;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Configuration;

/// <summary>Enrolment against the real server (in process, on 127.0.0.1).</summary>
public sealed class DeviceEnrolmentTests
{
    [Test]
    public async Task Once_enrolled_the_users_settings_no_longer_hold_the_enrolment_code_and_the_machines_are_untouched()
    {
        await using var server = await InProcessServer.StartAsync();
        using var folder = new TemporaryFolder();
        var paths = new HostPaths(folder.Sub("state"), folder.Sub("machine"));
        var machine = new HostConfig(server.Url, server.Demo.EnrolmentCode);
        HostInstaller.SaveConfig(paths, machine, system: true);
        var own = new HostConfig(server.Url, server.Demo.EnrolmentCode, ["AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="],
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        HostInstaller.SaveConfig(paths, own, system: false);
        File.ReadAllText(paths.ConfigFile).Should().Contain(server.Demo.EnrolmentCode);

        var enrolment = await DeviceEnrolment.EnsureAsync(paths, own, "0.1.0", CancellationToken.None);

        enrolment.SchoolId.Should().Be(server.Demo.SchoolId);
        File.ReadAllText(paths.ConfigFile).Should().NotContain(server.Demo.EnrolmentCode);
        var kept = DeviceEnrolment.ReadConfig(paths)!;
        kept.EnrolmentCode.Should().BeNull();
        kept.ServerUrl.Should().Be(server.Url);
        kept.UserIdKey.Should().Be(own.UserIdKey);
        kept.PinSha256.Should().Equal(own.PinSha256!);
        File.ReadAllText(paths.MachineConfigFile).Should().Contain(server.Demo.EnrolmentCode, "the machine's settings are not a user's to change");
        (await DeviceEnrolment.EnsureAsync(paths, kept, "0.1.0", CancellationToken.None)).DeviceId.Should().Be(enrolment.DeviceId,
            "the saved enrolment is used; no code is needed again");
    }
}
