using System.Net;
using eSafe.Contracts.Http;
using eSafe.Server.Security;
using eSafe.Server.Seeding;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

public sealed class FirstRunTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp() => _data = ServerHarness.NewDataDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    [Test]
    public async Task First_start_makes_keys_and_demo_data_readable_only_by_the_server()
    {
        await using var server = await ServerHarness.StartAsync(_data);

        foreach (var file in new[] { "keys/sealing-k1.pem", "keys/data.key", "demo.json", "esafe.db" })
        {
            var path = Path.Combine(_data, file);
            File.Exists(path).Should().BeTrue(file);
            SecureFiles.IsPrivate(path).Should().BeTrue($"{file} must be mode 600");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(_data, "keys")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.ReadAllText(Path.Combine(_data, "keys/sealing-k1.pem")).Should().StartWith("-----BEGIN PRIVATE KEY-----");
        Convert.FromBase64String(File.ReadAllText(Path.Combine(_data, "keys/data.key")).Trim()).Should().HaveCount(32);

        var demo = server.Demo!;
        demo.Url.Should().Be(server.BaseAddress.ToString().TrimEnd('/'));
        demo.SchoolName.Should().Be("Demo School");
        demo.AnalystUsername.Should().Be("analyst");
        demo.AnalystPassword.Should().HaveLength(23);
        demo.EnrolmentCode.Should().MatchRegex("^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$");

        server.Output.Should().StartWith("eSafe server listening on " + demo.Url + Environment.NewLine)
            .And.Contain(demo.AnalystPassword)
            .And.Contain($"esafe-host install --browser chrome --browser chromium --server {demo.Url} --enrolment-code {demo.EnrolmentCode}",
                "Chrome and Chromium look for the host in different places");
    }

    [Test]
    public async Task A_restart_reuses_keys_school_code_and_password()
    {
        DemoCredentials first;
        EnrolmentResponse firstEnrolment;
        await using (var server = await ServerHarness.StartAsync(_data))
        {
            first = server.Demo!;
            firstEnrolment = await server.EnrolAsync();
        }

        var dataKey = File.ReadAllBytes(Path.Combine(_data, "keys/data.key"));
        var sealingKey = File.ReadAllBytes(Path.Combine(_data, "keys/sealing-k1.pem"));

        await using (var server = await ServerHarness.StartAsync(_data))
        {
            var again = server.Demo!;
            again.SchoolId.Should().Be(first.SchoolId);
            again.EnrolmentCode.Should().Be(first.EnrolmentCode);
            again.AnalystPassword.Should().Be(first.AnalystPassword);
            server.Output.Should().Contain(first.AnalystPassword);

            var enrolment = await server.EnrolAsync(first.EnrolmentCode);
            enrolment.ServerKey.KeyId.Should().Be("k1");
            enrolment.ServerKey.PublicKey.Should().Equal(firstEnrolment.ServerKey.PublicKey);

            var analyst = await server.SignedInAsync(first.AnalystUsername, first.AnalystPassword);
            (await analyst.ListSchoolsAsync(CancellationToken.None)).Should().ContainSingle(s => s.Id == first.SchoolId);
        }

        File.ReadAllBytes(Path.Combine(_data, "keys/data.key")).Should().Equal(dataKey);
        File.ReadAllBytes(Path.Combine(_data, "keys/sealing-k1.pem")).Should().Equal(sealingKey);
    }

    [Test]
    public async Task A_session_survives_a_restart()
    {
        var cookies = new CookieContainer();
        await using (var server = await ServerHarness.StartAsync(_data))
        {
            await server.AnalystApi(cookies).LoginAsync(new LoginRequest(server.Demo!.AnalystUsername, server.Demo.AnalystPassword), CancellationToken.None);
        }

        await using (var server = await ServerHarness.StartAsync(_data))
        {
            // Cookies are not bound to a port, so the first server's session cookie goes to the second one.
            (await server.AnalystApi(cookies).ListSchoolsAsync(CancellationToken.None)).Should().NotBeEmpty();
        }
    }

    [Test]
    public async Task A_lost_demo_file_gets_new_demo_credentials_for_the_same_school()
    {
        string schoolId;
        await using (var server = await ServerHarness.StartAsync(_data))
        {
            schoolId = server.Demo!.SchoolId;
        }

        File.Delete(Path.Combine(_data, "demo.json"));
        await using (var server = await ServerHarness.StartAsync(_data))
        {
            server.Demo!.SchoolId.Should().Be(schoolId);
            await server.EnrolAsync();
            await server.SignedInAsync();
        }
    }

    [Test]
    public async Task Without_demo_there_is_no_demo_school_nor_demo_file()
    {
        await using var server = await ServerHarness.StartAsync(_data, demo: false);
        File.Exists(Path.Combine(_data, "demo.json")).Should().BeFalse();
        server.Output.Should().StartWith("eSafe server listening on ").And.NotContain("password");
        var refused = await FluentActions.Awaiting(() => server.DeviceApi().EnrolAsync(new EnrolmentRequest("AAAA-AAAA-AAAA-AAAA-AAAA", "pc", "1"), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_second_server_on_the_same_folder_is_refused()
    {
        await using var server = await ServerHarness.StartAsync(_data);
        FluentActions.Invoking(() => ServerApp.Build(new ServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0" }))
            .Should().Throw<ServerSetupException>().WithMessage("*in use*");
    }

    [TestCase("keys/data.key")]
    [TestCase("keys/sealing-k1.pem")]
    public async Task A_database_without_its_keys_is_refused_rather_than_given_new_ones(string keyFile)
    {
        await (await ServerHarness.StartAsync(_data)).StopAsync();
        File.Delete(Path.Combine(_data, keyFile));

        FluentActions.Invoking(() => ServerApp.Build(new ServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0" }))
            .Should().Throw<ServerSetupException>().WithMessage("*restore the keys folder*");
        File.Exists(Path.Combine(_data, keyFile)).Should().BeFalse();
    }

    [Test]
    public async Task A_database_with_another_data_key_is_refused()
    {
        await (await ServerHarness.StartAsync(_data)).StopAsync();
        File.WriteAllText(Path.Combine(_data, "keys/data.key"), Convert.ToBase64String(new byte[32]));

        FluentActions.Invoking(() => ServerApp.Build(new ServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0" }))
            .Should().Throw<ServerSetupException>().WithMessage("*not the key this database was made with*");
    }
}
