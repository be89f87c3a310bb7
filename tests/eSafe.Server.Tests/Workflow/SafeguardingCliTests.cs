using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Workflow;

/// <summary>A school's contacts, protocol and report password from <c>esafe-server</c>: what a console senior analyst can do, with the same checks.</summary>
public sealed class SafeguardingCliTests
{
    private string _data = null!;
    private string _schoolId = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _data = ServerHarness.NewDataDirectory();
        var school = await RunAsync("school", "add", "--name", "Cli School");
        _schoolId = school.Output.Split('\n').Single(l => l.StartsWith("School ID: ", StringComparison.Ordinal))["School ID: ".Length..].Trim();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => ServerCli.RunAsync([.. args, "--data", _data]);

    [Test]
    public async Task Contacts_and_the_protocol_are_set_shown_and_used_by_the_server()
    {
        var added = await RunAsync("contact", "add", "--school", _schoolId, "--id", "dsl-1", "--name", "Dana Jones", "--role", "dsl",
            "--phone", "+447700900123", "--email", "dsl@school.example.org");
        added.ExitCode.Should().Be(0, added.Error);
        added.Output.Should().Contain("dsl-1\tdsl\t1\tDana Jones\t+447700900123\tdsl@school.example.org");

        var set = await RunAsync("protocol", "set", "--school", _schoolId, "--severity", "4", "--roles", "dsl,head", "--email", "--within", "30",
            "--call-next-after", "5");
        set.ExitCode.Should().Be(0, set.Error);
        set.Output.Should().Contain("severity 4: dsl, head by email within 30 minutes").And.Contain("after 5 minutes");
        var password = await RunAsync("school", "report-password", "--school", _schoolId);
        password.Output.Should().StartWith("Report password: ");

        await using var server = await ServerHarness.StartAsync(_data, demo: false);
        var view = await server.Service<eSafe.Server.Storage.ISafeguardingStore>().GetAsync(_schoolId, CancellationToken.None);
        view.Contacts.Should().ContainSingle().Which.Name.Should().Be("Dana Jones");
        view.Protocol.Rules.Single(r => r.Severity == 4).Roles.Should().Equal("dsl", "head");
        view.ReportPassword.Should().Be(password.Output.Split('\n')[0]["Report password: ".Length..].Trim());
    }

    [TestCase("--phone", "07700900123", "phone")]
    [TestCase("--email", "not-an-address", "email")]
    [TestCase("--role", "janitor", "role")]
    [TestCase("--id", "Dana Jones", "id")]
    public async Task A_bad_contact_is_refused_with_the_field_named_and_nothing_stored(string option, string value, string field)
    {
        var arguments = new Dictionary<string, string>
        {
            ["--id"] = "dsl-1", ["--name"] = "Dana", ["--role"] = "dsl", ["--phone"] = "+447700900123", ["--email"] = "dsl@school.example.org",
        };
        arguments[option] = value;

        var refused = await RunAsync(["contact", "add", "--school", _schoolId, .. arguments.SelectMany(a => new[] { a.Key, a.Value })]);

        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain(field);
        (await RunAsync("contact", "list", "--school", _schoolId)).Output.Should().Contain("No contacts yet");
    }

    [Test]
    public async Task A_protocol_that_would_not_ring_for_severity_five_is_refused()
    {
        var refused = await RunAsync("protocol", "set", "--school", _schoolId, "--severity", "5", "--roles", "dsl", "--email", "--within", "15");

        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("phone is required");
        (await RunAsync("protocol", "show", "--school", _schoolId)).Output.Should().Contain("severity 5: dsl, deputy-dsl, head by phone+email");
    }

    [Test]
    public async Task An_unknown_school_is_named_as_such()
    {
        var refused = await RunAsync("contact", "list", "--school", "sch-nope");

        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("no school");
    }
}
