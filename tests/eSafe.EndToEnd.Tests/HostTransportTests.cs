using System.Diagnostics;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>The published host's transport rules, as an IT admin meets them at install.</summary>
[TestFixture]
public sealed class HostTransportTests
{
    [Test]
    public async Task Install_refuses_plain_http_to_another_machine_and_saves_nothing()
    {
        using var folder = new TemporaryFolder("esafe-transport");

        var (exit, output) = await InstallAsync(folder, "http://esafe.example.org");

        exit.Should().NotBe(0);
        output.Should().Contain("is not https: plain http is allowed only to this machine");
        File.Exists(Path.Combine(folder.Sub("state"), "host.json")).Should().BeFalse();
    }

    [Test]
    public async Task Install_refuses_a_pin_that_is_not_a_sha256()
    {
        using var folder = new TemporaryFolder("esafe-transport");

        var (exit, output) = await InstallAsync(folder, "https://esafe.example.org", "--pin-sha256", "abc");

        exit.Should().NotBe(0);
        output.Should().Contain("--pin-sha256 'abc' is not a SHA-256");
    }

    [Test]
    public async Task Enrolment_with_the_servers_pin_reaches_a_self_signed_server_and_status_shows_the_pin()
    {
        using var folder = new TemporaryFolder("esafe-transport");
        await using var server = await PinnedServer.StartAsync();

        var (exit, output) = await InstallAsync(folder, server.Url.ToString(), "--pin-sha256", Convert.ToBase64String(new byte[32]),
            "--pin-sha256", server.Pin);

        exit.Should().Be(0, output);
        output.Should().Contain("Enrolled with").And.Contain("dev-pinned");
        server.Enrolments.Should().Be(1);
        (await HostInstallation.StatusAsync(folder.Sub("state"))).Should().Contain("transport: https, 2 pinned key(s)");
    }

    [TestCase(true, TestName = "Enrolment over a connection that fails the pin is refused with a clear error")]
    [TestCase(false, TestName = "Enrolment without a pin checks the chain and refuses a self-signed server")]
    public async Task Enrolment_to_a_server_without_the_pinned_key_is_refused(bool pinned)
    {
        using var folder = new TemporaryFolder("esafe-transport");
        await using var server = await PinnedServer.StartAsync();
        string[] pin = pinned ? ["--pin-sha256", Convert.ToHexString(new byte[32])] : [];

        var (exit, output) = await InstallAsync(folder, server.Url.ToString(), pin);

        exit.Should().Be(0, "the settings are saved; the host tries again when the browser starts it");
        output.Should().Contain("Not enrolled yet");
        if (pinned)
        {
            output.Should().Contain($"refused: the server's public key (sha256 {server.Pin}) matches none of the 1 pinned key(s)");
        }

        server.Enrolments.Should().Be(0, "nothing reached the server");
        File.Exists(Path.Combine(folder.Sub("state"), "enrolment.json")).Should().BeFalse();
    }

    [Test]
    public async Task Settings_edited_to_plain_http_on_another_machine_are_refused_at_every_upload_and_shown_by_status()
    {
        using var folder = new TemporaryFolder("esafe-transport");
        var state = folder.Sub("state");
        Directory.CreateDirectory(state);
        using var sealing = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        // As if an enrolled device's settings were changed by hand afterwards (install itself refuses such a URL).
        await File.WriteAllTextAsync(Path.Combine(state, "host.json"), """{"serverUrl":"http://esafe.example.org/"}""");
        await File.WriteAllTextAsync(Path.Combine(state, "enrolment.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            serverUrl = "http://esafe.example.org/", schoolId = "sch-1", deviceId = "dev-1", deviceToken = "dev-1.token",
            serverKeyId = "k1", serverPublicKey = sealing.ExportSubjectPublicKeyInfo(),
        }));
        var device = new DeviceUnderTest(state, folder.Sub("profile"));

        await using (var host = device.Start())
        {
            await host.SendAsync(new eSafe.Contracts.Native.HelloMessage(1, "0.1.0", DeviceUnderTest.Account, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
            (await host.ReceiveAsync()).Should().BeOfType<eSafe.Contracts.Native.HelloReply>().Which.Ready.Should().BeTrue();
            await DeviceUnderTest.ThreatAsync(host, "ev-1");
            (await host.CloseAsync()).Should().Be(0);
            (await host.ErrorsAsync()).Should().Contain("refused: the server http://esafe.example.org is not https");
        }

        var status = await device.StatusAsync();
        status.Should().Contain("transport: REFUSED, nothing is sent").And.Contain("outbox: 1 waiting", "the incident is kept, never sent in the clear");
    }

    private static async Task<(int Exit, string Output)> InstallAsync(TemporaryFolder folder, string server, params string[] more)
    {
        var start = new ProcessStartInfo(RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Publish-Host"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "install", "--user-data-dir", folder.Sub("profile"), "--browser", "chromium", "--server", server,
                     "--enrolment-code", "CODE-1234" }.Concat(more))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[HostInstallation.StateVariable] = folder.Sub("state");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
