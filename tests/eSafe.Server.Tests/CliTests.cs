using System.Diagnostics;
using eSafe.Contracts.Http;
using eSafe.Server.Seeding;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

public sealed class CliTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp() => _data = ServerHarness.NewDataDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    [Test]
    public async Task School_and_analyst_added_on_the_command_line_can_enrol_and_sign_in()
    {
        var school = await ServerCli.RunAsync("school", "add", "--name", "Hill Primary", "--data", _data);
        school.ExitCode.Should().Be(0, school.Error);
        var code = ServerCli.Value(school.Output, "Enrolment code");
        var schoolId = ServerCli.Value(school.Output, "School ID");

        var analyst = await ServerCli.RunAsync("analyst", "add", "--username", "Sam", "--display-name", "Sam Analyst", "--data", _data);
        analyst.ExitCode.Should().Be(0, analyst.Error);
        var password = ServerCli.Value(analyst.Output, "Password");

        var list = await ServerCli.RunAsync("school", "list", "--data", _data);
        list.Output.Should().Contain(schoolId).And.Contain("Hill Primary");

        await using var server = await ServerHarness.StartAsync(_data, demo: false);
        (await server.EnrolAsync(code)).SchoolId.Should().Be(schoolId);
        var api = await server.SignedInAsync("sam", password);
        (await api.ListSchoolsAsync(CancellationToken.None)).Should().Equal(new SchoolInfo(schoolId, "Hill Primary"));
    }

    [Test]
    public async Task Bad_admin_input_exits_with_an_error()
    {
        (await ServerCli.RunAsync("school", "add", "--data", _data)).ExitCode.Should().NotBe(0, "--name is required");
        var badName = await ServerCli.RunAsync("analyst", "add", "--username", "a b", "--data", _data);
        badName.ExitCode.Should().Be(1);
        badName.Error.Should().Contain("username");
        var noSchool = await ServerCli.RunAsync("analyst", "add", "--username", "dsl", "--role", "school-contact", "--data", _data);
        noSchool.ExitCode.Should().Be(1);
        noSchool.Error.Should().Contain("school");
    }

    [Test]
    public async Task Admin_commands_refuse_a_folder_a_server_is_using()
    {
        await using var server = await ServerHarness.StartAsync(_data, demo: false);
        var result = await ServerCli.RunAsync("school", "add", "--name", "X", "--data", _data);
        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("in use");
    }

    [Test]
    public async Task Serve_as_a_process_prints_the_listening_line_and_writes_demo_json()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "esafe-server.dll");
        File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")).Should().BeTrue("the server must be runnable from the test's output");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "serve", "--data", _data, "--urls", "http://127.0.0.1:0", "--demo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith("eSafe server listening on ", StringComparison.Ordinal));

            line.Should().NotBeNull("the server must say where it listens");
            var url = line!["eSafe server listening on ".Length..];
            var demo = DemoCredentials.Read(Path.Combine(_data, "demo.json"))!;
            demo.Url.Should().Be(url);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            (await http.GetAsync("/")).IsSuccessStatusCode.Should().BeTrue();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
