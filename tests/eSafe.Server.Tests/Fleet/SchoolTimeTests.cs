using eSafe.Server.Fleet;

namespace eSafe.Server.Tests.Fleet;

/// <summary>School hours counted between two moments, by the deployment's defaults (Mon–Fri 08:00–16:00 Europe/London).</summary>
public sealed class SchoolTimeTests
{
    private static readonly SchoolTime Defaults = new FleetOptions().SchoolTime();

    private static readonly object[] Spans =
    [
        new object[] { "a weekend between Friday afternoon and Monday morning (GMT)", "2026-12-04T15:00:00Z", "2026-12-07T09:00:00Z", 2.0 },
        new object[] { "Saturday to Sunday", "2026-12-05T10:00:00Z", "2026-12-06T20:00:00Z", 0.0 },
        new object[] { "a summer morning: 08:00 BST is 07:00 UTC", "2026-06-01T06:00:00Z", "2026-06-01T08:00:00Z", 1.0 },
        new object[] { "a whole week", "2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z", 40.0 },
        new object[] { "the night", "2026-12-01T16:00:00Z", "2026-12-02T08:00:00Z", 0.0 },
        new object[] { "backwards", "2026-12-02T12:00:00Z", "2026-12-01T12:00:00Z", 0.0 },
        new object[] { "the Monday after the clocks go forward (29 March 2026)", "2026-03-28T00:00:00Z", "2026-03-30T09:00:00Z", 2.0 },
    ];

    [TestCaseSource(nameof(Spans))]
    public void Counts_only_school_hours(string what, string from, string until, double hours) =>
        Defaults.HoursBetween(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture)).Should().BeApproximately(hours, 0.001, what);

    private static readonly object[] BadOptions =
    [
        new object[] { new FleetOptions { SchoolDays = "Mon,Funday" }, "SchoolDays" },
        new object[] { new FleetOptions { SchoolDays = "" }, "SchoolDays" },
        new object[] { new FleetOptions { SchoolDayStart = "16:00", SchoolDayEnd = "08:00" }, "SchoolDayStart" },
        new object[] { new FleetOptions { SchoolDayEnd = "25:00" }, "SchoolDayStart" },
        new object[] { new FleetOptions { TimeZone = "Europe/Atlantis" }, "TimeZone" },
        new object[] { new FleetOptions { SilentAfterHours = 0 }, "SilentAfterHours" },
        new object[] { new FleetOptions { HeartbeatSeconds = 1 }, "HeartbeatSeconds" },
        new object[] { new FleetOptions { CheckSeconds = 0 }, "CheckSeconds" },
        new object[] { new FleetOptions { AnalystEmails = "team@esafe.example.org, not an address" }, "AnalystEmails" },
        new object[] { new FleetOptions { AnalystEmails = "team@localhost" }, "AnalystEmails" },
    ];

    [TestCaseSource(nameof(BadOptions))]
    public void Settings_that_cannot_work_are_named(FleetOptions options, string setting) =>
        options.Problems().Should().ContainSingle().Which.Should().Contain(setting);

    [Test]
    public void The_defaults_are_valid_and_described() =>
        (new FleetOptions().Problems().Count, Defaults.Describe()).Should().Be((0, "Mon,Tue,Wed,Thu,Fri 08:00–16:00 Europe/London"));

    [Test]
    public void The_analysts_addresses_are_a_comma_separated_list_each_once() =>
        new FleetOptions { AnalystEmails = " team@esafe.example.org,lead@esafe.example.org , Team@esafe.example.org," }.AnalystAddresses()
            .Should().Equal("team@esafe.example.org", "lead@esafe.example.org");
}
