using eSafe.Contracts.Http;
using eSafe.Server.Seeding;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Workflow;

/// <summary>What a newcomer sees after <c>./build.sh --target=Run</c>: a working queue, a decision, a report and an acknowledged alert.</summary>
public sealed class DemoEscalationTests
{
    [Test]
    public async Task The_demo_school_has_contacts_a_report_password_and_marked_demo_incidents_some_decided()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?> { [DemoIncidents.Setting] = "true" });
        var demo = server.Demo!;
        demo.ContactUsername.Should().NotBeNullOrEmpty();
        demo.ReportPassword.Should().NotBeNullOrEmpty();
        var analyst = await server.SignedInAsync();

        var all = (await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = demo.SchoolId }, CancellationToken.None)).Items;
        var undecided = (await analyst.ListIncidentsAsync(new IncidentQuery { Status = "undecided", Order = "priority" }, CancellationToken.None)).Items;

        all.Should().HaveCount(DemoIncidents.Count).And.OnlyContain(i => i.MachineName.StartsWith("DEMO-PC", StringComparison.Ordinal)
            && i.Snippet.Contains("(DEMO)", StringComparison.Ordinal));
        undecided.Should().HaveCount(3);
        undecided.Select(i => i.Severity).Should().BeInDescendingOrder();
        all.Select(i => i.Status).Should().Contain([IncidentStatuses.Escalated, IncidentStatuses.NoAction]);
        var safeguarding = await analyst.GetSafeguardingAsync(demo.SchoolId, CancellationToken.None);
        safeguarding.Contacts.Should().HaveCount(3);
        safeguarding.ReportPasswordSet.Should().BeTrue();
        var escalated = new List<IncidentDetail>();
        foreach (var summary in all.Where(i => i.Status == IncidentStatuses.Escalated))
        {
            escalated.Add(await analyst.GetIncidentAsync(summary.Id, CancellationToken.None));
        }

        var urgent = escalated.Single(d => d.Workflow.Acknowledgement is not null);
        urgent.Workflow.Acknowledgement!.Channel.Should().Be("console");
        var contact = await server.SignedInAsync(demo.ContactUsername, demo.ContactPassword);
        (await contact.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Should().HaveCount(2, "the school sees what was escalated to it");
        using var report = await contact.GetReportAsync(urgent.Id, CancellationToken.None);
        (await report.ReadAsByteArrayAsync()).Should().StartWith("%PDF"u8.ToArray());
    }
}
