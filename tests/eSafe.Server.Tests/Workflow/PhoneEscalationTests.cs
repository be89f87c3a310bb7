using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Phone;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Workflow;

/// <summary>
/// The phone path end to end against LocalTwilio, a real HTTP receiver answering as Twilio does: an urgent intervention rings
/// the protocol's contacts in order, moves on when nobody acknowledges within the protocol's minutes (a protocol minute is
/// 0.2 s here, by configuration), retries a failing provider, and stops once a key is pressed.
/// </summary>
[NonParallelizable]
public sealed class PhoneEscalationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private LocalTwilio _twilio = null!;
    private ServerHarness _server = null!;
    private WorkflowSchool _school = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = await LocalTwilio.StartAsync();
        var settings = PhoneTestSettings.For(_twilio);
        settings["Escalation:MinuteSeconds"] = "0.2";
        settings["Escalation:PollSeconds"] = "0.1";
        _server = await ServerHarness.StartAsync(demo: false, settings: settings);
        _twilio.WebhookTarget = _server.BaseAddress;
        _school = await WorkflowSchool.AddAsync(_server, "Phone School");
        await _school.AddContactsAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Nobody_answers_so_the_next_contact_is_rung_after_the_protocols_minutes_and_a_key_press_stops_the_calls()
    {
        var incident = await _school.AddIncidentAsync(severity: 5, category: "suicide");
        var analyst = await _school.SignInAsync(Roles.Analyst);

        await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(5), CancellationToken.None);

        var first = (await CallsAboutAsync(incident.Id, 1))[0];
        first.To.Should().Be("+447700900201", "the DSL is rung first");
        first.Twiml.Should().Contain("Phone School").And.Contain("Press 1").And.NotContain("hurt myself").And.NotContain("pupil");
        (await _twilio.WaitForTextsAsync(1, Patience)).Should().Contain(t => t.To == "+447700900201" && t.Body.Contains("/ack/", StringComparison.Ordinal));
        var second = (await CallsAboutAsync(incident.Id, 2))[1];
        second.To.Should().Be("+447700900202", "the deputy is rung when the DSL has not acknowledged within the protocol's 10 (fast) minutes");
        (second.At - first.At).Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "10 protocol minutes of 0.2 s");

        var reply = await _twilio.PressKeyAsync(second, "1");

        reply.Body.Should().Contain("acknowledged");
        var afterPress = Calls(incident.Id).Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Calls(incident.Id).Should().HaveCount(afterPress, "nobody is rung once the alert is acknowledged");
        var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
        detail.Workflow.AlertOpen.Should().BeFalse();
        detail.Workflow.Acknowledgement!.By.Should().Be("Dev Deputy (deputy-dsl)");
        detail.Workflow.Acknowledgement.Channel.Should().Be("phone");
        detail.Workflow.Deliveries.Where(d => d.Kind == JobKinds.AlertCall && d.State == JobStates.Done).Select(d => d.ContactName)
            .Should().StartWith(["Dana DSL", "Dev Deputy"]);
        (await analyst.ListOpenAlertsAsync(CancellationToken.None)).Should().NotContain(a => a.IncidentId == incident.Id);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_failing_provider_is_retried_with_back_off_and_the_call_goes_through()
    {
        var incident = await _school.AddIncidentAsync(severity: 3, category: "bullying");
        var analyst = await _school.SignInAsync(Roles.Analyst);
        _twilio.FailNext(1, 503);

        await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(3, urgent: true), CancellationToken.None);

        var call = (await CallsAboutAsync(incident.Id, 1))[0];
        try
        {
            call.To.Should().Be("+447700900201", "an urgent flag rings the severity 5 rule's contacts, DSL first");
            var delivery = await DeliveryAsync(analyst, incident.Id, d => d.Kind == JobKinds.AlertCall && d.State == JobStates.Done);
            delivery.Attempts.Should().Be(2, "the provider refused once (503), then the retry went through");
        }
        finally
        {
            await _twilio.PressKeyAsync(call, "1");
        }
    }

    // A job is recorded once its call and text are done: wait for it.
    private static async Task<DeliveryView> DeliveryAsync(IAnalystApi analyst, string incidentId, Func<DeliveryView, bool> which)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = (await analyst.GetIncidentAsync(incidentId, CancellationToken.None)).Workflow.Deliveries.FirstOrDefault(which);
            if (found is not null || DateTime.UtcNow > deadline)
            {
                return found ?? throw new AssertionException($"no such delivery of {incidentId} within {Patience}");
            }

            await Task.Delay(100);
        }
    }

    // Calls name the incident only by its reference, read out letter by letter.
    private List<RecordedCall> Calls(string incidentId) =>
        [.. _twilio.Calls.Where(c => c.Twiml.Contains(string.Join(' ', incidentId[^6..].ToCharArray()), StringComparison.Ordinal))];

    private async Task<List<RecordedCall>> CallsAboutAsync(string incidentId, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (Calls(incidentId).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Calls(incidentId).Should().HaveCountGreaterThanOrEqualTo(count, $"{count} calls about the incident within {Patience}").And.Subject.ToList();
    }
}
