using System.CommandLine;
using eSafe.Host.Cli;
using eSafe.Host.Installation;

namespace eSafe.Host.Tests.Cli;

/// <summary>What the command line accepts; only parsed, never run.</summary>
public sealed class HostCommandLineTests
{
    private const string Origin = "chrome-extension://hiipfkacdajbinoadfgohldjcebaoijj/";

    [TestCase(Origin)]
    [TestCase(Origin, "--parent-window=0")]
    [TestCase(Origin, "--parent-window=1442")]
    [TestCase(Origin, "--parent-window", "0")]
    [TestCase]
    public void Chromes_launch_forms_parse_to_the_host_itself(params string[] args)
    {
        var result = Parse(args);

        result.Errors.Should().BeEmpty();
        result.CommandResult.Command.Should().BeOfType<RootCommand>();
        result.Action.Should().NotBeNull("the root command runs the host");
    }

    [TestCase("run")]
    [TestCase("status")]
    [TestCase("install")]
    [TestCase("install", "--user-data-dir", "profile")]
    [TestCase("install", "--system", "--browser", "chromium")]
    [TestCase("install", "--browser", "edge", "--server", "https://esafe.example.org", "--enrolment-code", "ABC-123")]
    [TestCase("install", "--server", "http://127.0.0.1:5080/")]
    [TestCase("install", "--extension-id", "abcdefghijklmnopabcdefghijklmnop")]
    [TestCase("uninstall", "--user-data-dir", "profile")]
    [TestCase("uninstall", "--system", "--browser", "chrome")]
    public void Good_commands_parse_without_errors(params string[] args)
    {
        var result = Parse(args);

        result.Errors.Should().BeEmpty();
        result.CommandResult.Command.Name.Should().Be(args[0]);
    }

    [TestCase("install --user-data-dir profile --system", "--user-data-dir and --system cannot be used together")]
    [TestCase("uninstall --system --user-data-dir profile", "--user-data-dir and --system cannot be used together")]
    [TestCase("install --server ftp://x", "--server *absolute http(s) URL")]
    [TestCase("install --server file:///etc/passwd", "--server *absolute http(s) URL")]
    [TestCase("install --server esafe.example.org", "--server *absolute http(s) URL")]
    [TestCase("install --system=maybe", "*maybe*")]
    [TestCase("install --user-data-dir profile --system=maybe", "*maybe*")]
    [TestCase("uninstall --user-data-dir", "*--user-data-dir*")]
    [TestCase("install --browser firefox", "*firefox*")]
    [TestCase("install --user-data-dir", "*--user-data-dir*")]
    [TestCase("status --system", "*--system*")]
    [TestCase("instal", "'instal' is not a command of esafe-host*")]
    [TestCase("install --browser firefox", "--browser 'firefox' is not one of chrome, chromium, edge, brave")]
    [TestCase("installer-files --platform windows --host-path esafe-host.exe --output out", "--host-path 'esafe-host.exe' must be absolute*")]
    [TestCase("installer-files --platform solaris --host-path /x --output out", "*solaris*")]
    public void Bad_commands_are_errors(string commandLine, string error)
    {
        var result = Parse(commandLine.Split(' '));

        result.Errors.Select(e => e.Message).Should().ContainMatch(error);
    }

    [Test]
    public void Install_options_are_read_as_given()
    {
        var result = Parse(["install", "--browser", "edge", "--browser", "Brave", "--server", "https://esafe.example.org", "--enrolment-code", "ABC-123"]);

        InstallCommands.Browsers(result).Should().Equal(Browser.Edge, Browser.Brave);
        InstallCommands.Browsers(Parse(["install"])).Should().Equal([Browser.Chrome], "Chrome when no --browser is given");
        result.GetValue<string?>("--enrolment-code").Should().Be("ABC-123");
        result.GetValue<string>("--extension-id").Should().Be("hiipfkacdajbinoadfgohldjcebaoijj");
    }

    private static ParseResult Parse(string[] args) => HostCommandLine.Create().Parse(args);
}
