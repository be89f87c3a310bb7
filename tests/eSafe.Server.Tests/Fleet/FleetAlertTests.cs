using System.Net;
using eSafe.Contracts.Http;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Fleet;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Fleet;

/// <summary>
/// The fleet flags end to end on a real server and a real SMTP server on 127.0.0.1: a device silent for longer than the
/// deployment allows (time moved by the server's clock), and an extension running without its host, each email the school's
/// IT contact once per episode however often the check runs (every 0.2 s here), show in the console, and clear when the
/// device is heard from; a new episode emails again. Analysts get each alert too: by email to the deployment's analysts'
/// address, and in the console, where one of them acknowledges it (audited, once).
/// </summary>
[NonParallelizable]
public sealed class FleetAlertTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string AnalystsMailbox = "safeguarding-team@esafe.example.org";
    private LocalSmtpServer _smtp = null!;
    private ShiftedClock _clock = null!;
    private ServerHarness _server = null!;
    private (string Username, string Password) _senior;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _smtp = await LocalSmtpServer.StartAsync();
        _clock = new ShiftedClock();
        _server = await ServerHarness.StartAsync(demo: false, clock: _clock, settings: new Dictionary<string, string?>(_smtp.ServerSettings())
        {
            ["Escalation:PollSeconds"] = "0.1",
            // Every hour of every day is school time here, so the test does not depend on when it runs.
            ["Fleet:SchoolDays"] = "Sun,Mon,Tue,Wed,Thu,Fri,Sat",
            ["Fleet:SchoolDayStart"] = "00:00",
            ["Fleet:SchoolDayEnd"] = "23:59",
            ["Fleet:TimeZone"] = "Etc/UTC",
            ["Fleet:SilentAfterHours"] = "2",
            ["Fleet:CheckSeconds"] = "0.2",
            ["Fleet:AnalystEmails"] = AnalystsMailbox,
        });
        var (senior, password) = await _server.Service<Provisioning>().AddAccountAsync("senior.fleet", "Senior", Roles.SeniorAnalyst, null, "test",
            CancellationToken.None, "Enhanced DBS (2026)");
        _senior = (senior.Username, password);
    }

    // A new session each time: moving the clock hours ahead ends the one before (the idle lifetime).
    private Task<IAnalystApi> SeniorAsync() => _server.SignedInAsync(_senior.Username, _senior.Password);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>A school with a DSL and an IT contact (whose address is <paramref name="it"/>), and one device enrolled in it.</summary>
    private async Task<EnrolmentResponse> SchoolWithDeviceAsync(string name, string it, string machine)
    {
        var (school, code) = await _server.Service<Provisioning>().AddSchoolAsync(name, "test", CancellationToken.None);
        var senior = await SeniorAsync();
        await senior.SaveContactAsync(school.Id, "dsl-1", new ContactRequest("Dana DSL", ContactRoles.Dsl, null, "dsl." + it, 1), CancellationToken.None);
        await senior.SaveContactAsync(school.Id, "it-1", new ContactRequest("Ira IT", ContactRoles.It, null, it, 1), CancellationToken.None);
        return await _server.EnrolAsync(code, machine);
    }

    private Task<HeartbeatReceipt> BeatAsync(EnrolmentResponse device, bool hostMissing = false) =>
        _server.DeviceApi().SendHeartbeatAsync(hostMissing
            ? new HeartbeatRequest(DeviceModes.Direct, "0.1.0", null, null, null, 4, true)
            : new HeartbeatRequest(DeviceModes.Native, "0.1.0", "0.1.0", "2026.11.1", 0, 0, false), device.DeviceToken, CancellationToken.None);

    private List<ReceivedEmail> Emails(string to, string about) =>
        [.. _smtp.Messages.Where(m => m.EnvelopeRecipients.Contains(to) && (m.Message.Subject ?? "").Contains(about, StringComparison.Ordinal))];

    private async Task<List<ReceivedEmail>> WaitForEmailsAsync(string to, string about, int count)
    {
        var until = DateTime.UtcNow + Patience;
        while (Emails(to, about).Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        return Emails(to, about);
    }

    private async Task<IReadOnlyList<FleetAlert>> AlertsOnAsync(EnrolmentResponse device) =>
        [.. (await (await SeniorAsync()).GetFleetAlertsAsync(CancellationToken.None)).Where(a => a.DeviceId == device.DeviceId)];

    [Test]
    [CancelAfter(120_000)]
    public async Task A_silent_device_emails_the_IT_contact_once_per_silence_and_shows_in_the_console()
    {
        const string it = "it@silent.example.org";
        var device = await SchoolWithDeviceAsync("Silent School", it, "LIB-PC-12");
        await BeatAsync(device);
        await Task.Delay(1000);
        (await AlertsOnAsync(device)).Should().BeEmpty("it has just been heard from");

        _clock.Advance(TimeSpan.FromHours(3));
        var first = await WaitForEmailsAsync(it, "silent", 1);
        await Task.Delay(2000); // ten more checks
        Emails(it, "silent").Should().ContainSingle("one silence is one email, however many checks see it");
        first[0].Secure.Should().BeTrue();
        first[0].Message.Subject.Should().Contain("LIB-PC-12").And.Contain("Silent School");
        first[0].Message.TextBody.Should().Contain(device.DeviceId);
        _smtp.Messages.Should().NotContain(m => m.EnvelopeRecipients.Contains("dsl." + it), "device alerts go to the IT contact, not the DSL");
        var view = await (await SeniorAsync()).GetFleetAsync(device.SchoolId, CancellationToken.None);
        view.Devices.Single().Flags.Should().Equal(FleetFlags.Silent);
        view.Devices.Single().SilentSchoolHours.Should().BeGreaterThan(2.9);
        (await AlertsOnAsync(device)).Should().ContainSingle().Which.Flag.Should().Be(FleetFlags.Silent);

        await BeatAsync(device);
        (await AlertsOnAsync(device)).Should().BeEmpty("heard from again, the flag clears");

        _clock.Advance(TimeSpan.FromHours(3));
        (await WaitForEmailsAsync(it, "silent", 2)).Should().HaveCount(2, "a new silence is a new episode");
        await Task.Delay(1000);
        Emails(it, "silent").Should().HaveCount(2);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task An_extension_running_without_its_host_emails_the_IT_contact_once_per_episode()
    {
        const string it = "it@tamper.example.org";
        var device = await SchoolWithDeviceAsync("Tamper School", it, "ART-PC-03");
        await BeatAsync(device, hostMissing: true);
        var since = (await _server.Service<IFleetStore>().GetAsync(device.DeviceId, CancellationToken.None))!.ReceivedAt;

        var first = await WaitForEmailsAsync(it, "without its host", 1);
        for (var i = 0; i < 3; i++)
        {
            await BeatAsync(device, hostMissing: true);
            await Task.Delay(300);
        }

        await Task.Delay(1500);
        Emails(it, "without its host").Should().ContainSingle("the same run of host-missing heartbeats is one episode");
        first[0].Message.Subject.Should().Contain("ART-PC-03");
        (await AlertsOnAsync(device)).Should().ContainSingle().Which.Should().Match<FleetAlert>(a => a.Flag == FleetFlags.HostMissing && a.Since == since);
        var health = (await (await SeniorAsync()).GetFleetAsync(device.SchoolId, CancellationToken.None)).Devices.Single();
        (health.Mode, health.HostMissing, health.Backlog, health.HostVersion).Should().Be(("direct", true, 4, null));

        await BeatAsync(device);
        (await AlertsOnAsync(device)).Should().BeEmpty("the host answers again");
        await BeatAsync(device, hostMissing: true);
        (await WaitForEmailsAsync(it, "without its host", 2)).Should().HaveCount(2, "the host went missing again: a new episode");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_device_alert_is_emailed_to_the_analysts_and_acknowledged_once_in_the_console_with_an_audit_line()
    {
        const string it = "it@ack.example.org";
        var device = await SchoolWithDeviceAsync("Ack School", it, "SCI-PC-07");
        await BeatAsync(device, hostMissing: true);

        var email = (await WaitForEmailsAsync(AnalystsMailbox, "SCI-PC-07", 1)).Should().ContainSingle().Subject;
        email.Message.Subject.Should().StartWith("[analysts] ").And.Contain("without its host").And.Contain("Ack School");
        email.Message.TextBody.Should().Contain(device.DeviceId).And.Contain(device.SchoolId).And.Contain("Acknowledge");
        email.Secure.Should().BeTrue();
        (await WaitForEmailsAsync(it, "SCI-PC-07", 1)).Should().ContainSingle("the IT contact is told as before");
        await Task.Delay(1000);
        Emails(AnalystsMailbox, "SCI-PC-07").Should().ContainSingle("one episode, one email to the analysts");

        var alert = (await AlertsOnAsync(device)).Should().ContainSingle().Subject;
        alert.Key.Should().StartWith("fleet:host-missing:" + device.DeviceId + ":");
        alert.Acknowledgement.Should().BeNull();

        // A contact of another school cannot see or acknowledge it: the same 404 as a key that names nothing.
        var (other, _) = await _server.Service<Provisioning>().AddSchoolAsync("Other School", "test", CancellationToken.None);
        var (contact, password) = await _server.Service<Provisioning>().AddAccountAsync("dsl.other", "Other DSL", Roles.SchoolContact, other.Id, "test",
            CancellationToken.None);
        var outsider = await _server.SignedInAsync(contact.Username, password);
        (await outsider.GetFleetAlertsAsync(CancellationToken.None)).Should().BeEmpty();
        foreach (var (who, key) in new[] { (outsider, alert.Key!), (await SeniorAsync(), "fleet:silent:nosuchdevice:1"), (await SeniorAsync(), "not-a-key") })
        {
            (await FluentActions.Awaiting(() => who.AcknowledgeFleetAlertAsync(key, CancellationToken.None)).Should().ThrowAsync<Refit.ApiException>())
                .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var senior = await SeniorAsync();
        var acknowledged = await senior.AcknowledgeFleetAlertAsync(alert.Key!, CancellationToken.None);
        acknowledged.Acknowledgement.Should().NotBeNull();
        acknowledged.Acknowledgement!.By.Should().Be(_senior.Username);
        acknowledged.Acknowledgement.At.Should().BeAfter(before);
        (await AlertsOnAsync(device)).Single().Acknowledgement.Should().Be(acknowledged.Acknowledgement, "every later listing says who took it on");
        (await FluentActions.Awaiting(() => senior.AcknowledgeFleetAlertAsync(alert.Key!, CancellationToken.None)).Should().ThrowAsync<Refit.ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.Conflict, "an alert is acknowledged once");

        var lines = await _server.Service<IAuditLog>().QueryAsync(new AuditQuery { Action = FleetJobs.AlertAcknowledgedAudit, Limit = 100 }, CancellationToken.None);
        lines.Where(l => l.Detail == alert.Key).Should().ContainSingle().Which.Should().Match<AuditEntry>(l =>
            l.Actor == _senior.Username && l.SchoolId == device.SchoolId && l.RemoteAddress == "127.0.0.1");

        // The host answers, then goes missing again: a new episode is a new alert, not acknowledged, emailed again.
        await BeatAsync(device);
        await BeatAsync(device, hostMissing: true);
        var next = (await AlertsOnAsync(device)).Should().ContainSingle().Subject;
        next.Key.Should().NotBe(alert.Key);
        next.Acknowledgement.Should().BeNull();
        (await WaitForEmailsAsync(AnalystsMailbox, "SCI-PC-07", 2)).Should().HaveCount(2);
    }
}
