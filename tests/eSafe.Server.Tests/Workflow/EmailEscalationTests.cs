using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Reports;
using eSafe.Server.Tests.Support;
using MimeKit;

namespace eSafe.Server.Tests.Workflow;

/// <summary>
/// The email path end to end against a real SMTP server on 127.0.0.1 (STARTTLS): an intervention's report reaches exactly
/// the protocol's contacts as a PDF that opens only with the school's password and names no pupil; a failing mail server is
/// retried; a concern the protocol sends weekly waits for the weekly summary.
/// </summary>
[NonParallelizable]
public sealed class EmailEscalationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private LocalSmtpServer _smtp = null!;
    private ShiftedClock _clock = null!;
    private ServerHarness _server = null!;
    private WorkflowSchool _school = null!;
    private string _reportPassword = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _smtp = await LocalSmtpServer.StartAsync();
        _clock = new ShiftedClock();
        _server = await ServerHarness.StartAsync(demo: false, clock: _clock, settings: new Dictionary<string, string?>(_smtp.ServerSettings())
        {
            ["Escalation:MinuteSeconds"] = "0.1",
            ["Escalation:PollSeconds"] = "0.1",
        });
        _school = await WorkflowSchool.AddAsync(_server, "Email School");
        _reportPassword = await _school.AddContactsAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task The_report_reaches_exactly_the_protocols_contacts_opens_only_with_the_password_and_names_no_pupil()
    {
        PdfTools.RequireOrIgnore();
        var incident = await _school.AddIncidentAsync(severity: 4, pupil: "jamie.pupil@school.example.org");
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var before = _smtp.Messages.Count;

        await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(4), CancellationToken.None);

        var received = (await _smtp.WaitForMessagesAsync(before + 2, Patience)).Skip(before).ToList();
        await Task.Delay(500);
        _smtp.Messages.Count.Should().Be(before + 2, "the default protocol at severity 4 emails the DSL and deputy, not the head");
        received.SelectMany(m => m.EnvelopeRecipients).Should().BeEquivalentTo(["dsl@school.example.org", "deputy@school.example.org"]);
        received.Should().AllSatisfy(m => m.Secure.Should().BeTrue("reports go only over STARTTLS"));
        foreach (var email in received)
        {
            email.Message.TextBody.Should().Contain(incident.Id).And.NotContain("jamie").And.NotContain("hurt myself").And.NotContain("chat.example.org");
            var pdf = email.Message.Attachments.OfType<MimePart>().Should().ContainSingle().Subject;
            var file = Path.Combine(Path.GetTempPath(), $"esafe-report-{Guid.NewGuid():N}.pdf");
            try
            {
                await using (var stream = File.Create(file))
                {
                    await pdf.Content!.DecodeToAsync(stream);
                }

                PdfTools.Run("qpdf", "--requires-password", file).ExitCode.Should().Be(0, "the report opens only with a password");
                PdfTools.Encryption(file, _reportPassword).Should().Contain("AESv3");
                PdfTools.Run("pdftotext", file, "-").ExitCode.Should().NotBe(0, "without the password pdftotext cannot read it");
                var text = PdfTools.Text(file, _reportPassword);
                text.Should().Contain(incident.UserId).And.Contain("LAB-PC-07").And.Contain("hurting themselves")
                    .And.Contain("Enhanced DBS (2026); NPPV 2");
                text.Should().NotContain("jamie").And.NotContain("pupil@").And.NotContain("name=someone").And.NotContain("hurt myself tonight");
            }
            finally
            {
                File.Delete(file);
            }
        }

        var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
        detail.Workflow.Deliveries.Where(d => d.Kind == JobKinds.ReportEmail).Should().OnlyContain(d => d.State == JobStates.Done);
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task A_mail_server_that_says_try_later_is_retried_and_the_console_shows_the_attempts()
    {
        var incident = await _school.AddIncidentAsync(severity: 3);
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var before = _smtp.Messages.Count;
        _smtp.FailNext(1);

        await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(3), CancellationToken.None);

        await _smtp.WaitForMessagesAsync(before + 2, Patience);
        var deliveries = await WaitAsync(analyst, incident.Id, ds => ds.Count(d => d.State == JobStates.Done) == 2);
        deliveries.Should().Contain(d => d.Attempts == 2, "one send was refused with 451 and retried");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task A_lower_concern_waits_for_the_weekly_summary_which_goes_to_the_dsl()
    {
        PdfTools.RequireOrIgnore();
        var incident = await _school.AddIncidentAsync(severity: 2, category: "bullying");
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var before = _smtp.Messages.Count;

        var decided = await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(2), CancellationToken.None);

        decided.Warnings.Should().Contain(w => w.Contains("weekly summary", StringComparison.Ordinal));
        await Task.Delay(1000);
        _smtp.Messages.Count.Should().Be(before, "severity 2 is gathered into the weekly summary, not emailed now");

        _clock.Advance(TimeSpan.FromDays(7));
        var received = (await _smtp.WaitForMessagesAsync(before + 1, Patience)).Skip(before).ToList();

        received.Should().ContainSingle().Which.EnvelopeRecipients.Should().Equal("dsl@school.example.org");
        var pdf = received[0].Message.Attachments.OfType<MimePart>().Single();
        var file = Path.Combine(Path.GetTempPath(), $"esafe-weekly-{Guid.NewGuid():N}.pdf");
        try
        {
            await using (var stream = File.Create(file))
            {
                await pdf.Content!.DecodeToAsync(stream);
            }

            PdfTools.Text(file, _reportPassword).Should().Contain(incident.UserId);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<IReadOnlyList<DeliveryView>> WaitAsync(IAnalystApi analyst, string incidentId, Func<IReadOnlyList<DeliveryView>, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var deliveries = (await analyst.GetIncidentAsync(incidentId, CancellationToken.None)).Workflow.Deliveries;
            if (done(deliveries) || DateTime.UtcNow > deadline)
            {
                return deliveries;
            }

            await Task.Delay(100);
        }
    }
}
