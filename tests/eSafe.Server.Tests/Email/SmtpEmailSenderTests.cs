using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using eSafe.Server.Notifications.Email;
using eSafe.Server.Reports;
using eSafe.Server.Security;
using eSafe.Server.Tests.Reports;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace eSafe.Server.Tests.Email;

public sealed class SmtpEmailSenderTests
{
    private const string ReportPassword = "school-report-pass";
    private static readonly EmailRecipient Dsl = new("Dana Lead", "dsl@northfield.example.org");
    private static readonly EmailRecipient Deputy = new("Sam Deputy", "deputy.dsl@northfield.example.org");

    private static SmtpEmailSender Sender(SmtpOptions options) => new(options, NullLogger<SmtpEmailSender>.Instance);

    private static EmailMessage Simple(params EmailRecipient[] to) =>
        new(to, "A test message", "Hello.", [new EmailAttachment("note.txt", "text/plain", "attached"u8.ToArray())]);

    [Test]
    public async Task A_report_reaches_exactly_its_contacts_over_STARTTLS_with_the_encrypted_PDF_attached()
    {
        await using var server = await LocalSmtpServer.StartAsync(username: "esafe", password: "smtp-login-secret");
        var options = server.SenderOptions();
        options.Username = "esafe";
        options.Password = "smtp-login-secret";
        var sender = Sender(options);
        var report = TestReports.Intervention(site: ReportSite.Of("https://forum.example.net/t/9?user=jo.bloggs"));
        var pdf = ReportPdf.Render(report, ReportPassword);

        await sender.SendAsync(ReportEmails.Report(report, pdf, Dsl), CancellationToken.None);
        await sender.SendAsync(ReportEmails.Report(report, pdf, Deputy), CancellationToken.None);

        var received = await server.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        received.Select(m => m.EnvelopeRecipients).Should().BeEquivalentTo(new[] { new[] { Dsl.Address }, new[] { Deputy.Address } });
        foreach (var email in received)
        {
            email.Secure.Should().BeTrue("the session was upgraded with STARTTLS before anything was sent");
            email.SslProtocol.Should().BeOneOf(System.Security.Authentication.SslProtocols.Tls12, System.Security.Authentication.SslProtocols.Tls13);
            email.AuthenticatedUser.Should().Be("esafe");
            email.EnvelopeSender.Should().Be("reports@esafe.example.org");
            email.Message.To.Mailboxes.Select(m => m.Address).Should().Equal(email.EnvelopeRecipients, "each contact sees only their own address");
            email.Message.Cc.Count.Should().Be(0);
            email.Message.Bcc.Count.Should().Be(0);
            email.Message.Subject.Should().Be($"eSafe safeguarding report {report.Reference} — Northfield Test School (severity 4)");

            var attachment = email.Message.Attachments.OfType<MimePart>().Single();
            attachment.FileName.Should().Be($"esafe-report-{report.Reference}.pdf");
            attachment.ContentType.MimeType.Should().Be("application/pdf");
            using var content = new MemoryStream();
            await attachment.Content!.DecodeToAsync(content);
            content.ToArray().Should().Equal(pdf);

            var body = email.Message.TextBody;
            body.Should().Contain(report.Reference).And.Contain("encrypted").And.Contain("report password");
            body.Should().NotContain(report.UserId).And.NotContain(report.MachineName).And.NotContain("forum.example.net")
                .And.NotContain("self-harm").And.NotContain("http", "no address is in the body").And.NotContain(report.Narrative[..20]);
        }

        PdfTools.RequireOrIgnore();
        var file = TestReports.Write(await Decoded(received[0]));
        try
        {
            PdfTools.Run("pdftotext", file, "-").ExitCode.Should().NotBe(0, "the attachment opens only with the password");
            var text = ReportPdfTests.Flatten(PdfTools.Text(file, ReportPassword));
            text.Should().Contain(report.UserId).And.Contain("SCI-LAB-07").And.NotContain("jo.bloggs").And.NotContain("?user=");
        }
        finally
        {
            TestReports.Delete(file);
        }
    }

    [Test]
    public async Task Implicit_TLS_works_too()
    {
        await using var server = await LocalSmtpServer.StartAsync(implicitTls: true);
        await Sender(server.SenderOptions(SmtpSecurity.Tls)).SendAsync(Simple(Dsl), CancellationToken.None);
        (await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single().Secure.Should().BeTrue();
    }

    [Test]
    public async Task An_urgent_report_says_so_first_in_its_subject_and_body()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var report = TestReports.Intervention(severity: 5, urgent: true);
        await Sender(server.SenderOptions()).SendAsync(ReportEmails.Report(report, ReportPdf.Render(report, ReportPassword), Dsl), CancellationToken.None);
        var email = (await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single().Message;
        email.Subject.Should().StartWith("URGENT: eSafe safeguarding report").And.EndWith("(severity 5)");
        email.TextBody.Should().Contain("URGENT");
    }

    [Test]
    public async Task The_weekly_summary_email_carries_its_PDF()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var summary = new WeeklySummary("Northfield Test School", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 8), []);
        var pdf = WeeklySummaryPdf.Render(summary, ReportPassword);
        await Sender(server.SenderOptions()).SendAsync(ReportEmails.Weekly(summary, pdf, Dsl), CancellationToken.None);
        var email = (await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single();
        email.Message.Subject.Should().Be("eSafe weekly summary 2026-11-02 to 2026-11-08 — Northfield Test School (0 concerns)");
        email.Message.TextBody.Should().Contain("No lower-level concerns were recorded");
        email.Message.Attachments.OfType<MimePart>().Single().FileName.Should().Be("esafe-weekly-2026-11-02.pdf");
        email.EnvelopeRecipients.Should().Equal(Dsl.Address);
    }

    [Test]
    public async Task A_server_without_STARTTLS_is_refused_and_nothing_is_sent_in_clear()
    {
        await using var server = await LocalSmtpServer.StartAsync(startTls: false);
        var options = server.SenderOptions();
        options.TrustedCertificateSha256 = null;

        var send = () => Sender(options).SendAsync(Simple(Dsl), CancellationToken.None);

        (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
            e.IsPermanent && e.Message.Contains("STARTTLS", StringComparison.Ordinal));
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task Plain_text_is_allowed_only_to_a_relay_on_this_machine()
    {
        await using var server = await LocalSmtpServer.StartAsync(startTls: false);
        await Sender(server.SenderOptions(SmtpSecurity.None)).SendAsync(Simple(Dsl), CancellationToken.None);
        (await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single().Secure.Should().BeFalse();

        var remote = server.SenderOptions(SmtpSecurity.None);
        remote.Host = "mail.example.org";
        remote.Validate().Should().ContainSingle().Which.Should().Contain("Security None").And.Contain("mail.example.org");
        var make = () => Sender(remote);
        make.Should().Throw<ServerSetupException>().WithMessage("*Security None*");
    }

    [Test]
    public async Task A_self_signed_certificate_is_trusted_only_by_its_pinned_fingerprint()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var unpinned = server.SenderOptions();
        unpinned.TrustedCertificateSha256 = null;
        var wrongPin = server.SenderOptions();
        wrongPin.TrustedCertificateSha256 = new string('a', 64);

        foreach (var options in new[] { unpinned, wrongPin })
        {
            var send = () => Sender(options).SendAsync(Simple(Dsl), CancellationToken.None);
            (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
                e.IsPermanent && e.Message.Contains("certificate", StringComparison.Ordinal));
        }

        var colons = server.SenderOptions();
        colons.TrustedCertificateSha256 = string.Join(':', server.CertificateSha256.ToUpperInvariant().Chunk(2).Select(c => new string(c)));
        await Sender(colons).SendAsync(Simple(Dsl), CancellationToken.None);
        server.Messages.Should().ContainSingle();
    }

    [Test]
    public async Task A_451_is_transient_and_the_next_try_goes_through()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var sender = Sender(server.SenderOptions());
        server.FailNext(1);

        var first = () => sender.SendAsync(Simple(Dsl), CancellationToken.None);
        (await first.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
            !e.IsPermanent && e.Message.Contains("451", StringComparison.Ordinal));
        server.Messages.Should().BeEmpty();

        await sender.SendAsync(Simple(Dsl), CancellationToken.None);
        server.Messages.Should().ContainSingle();
    }

    [Test]
    public async Task A_refused_recipient_is_permanent_and_named()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        server.RefuseRecipient("left.school@northfield.example.org");
        var send = () => Sender(server.SenderOptions()).SendAsync(Simple(new EmailRecipient("Former DSL", "left.school@northfield.example.org")), CancellationToken.None);
        (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
            e.IsPermanent && e.Message.Contains("left.school@northfield.example.org", StringComparison.Ordinal) && e.Message.Contains("550", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_refused_login_is_permanent_and_keeps_the_password_out_of_the_message()
    {
        await using var server = await LocalSmtpServer.StartAsync(username: "esafe", password: "right-secret");
        var options = server.SenderOptions();
        options.Username = "esafe";
        options.Password = "wrong-secret";
        var send = () => Sender(options).SendAsync(Simple(Dsl), CancellationToken.None);
        (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
            e.IsPermanent && e.Message.Contains("login", StringComparison.Ordinal) && !e.Message.Contains("secret", StringComparison.Ordinal));
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task Nobody_listening_is_transient()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new SmtpOptions { Host = "127.0.0.1", Port = port, FromAddress = "reports@esafe.example.org", Timeout = TimeSpan.FromSeconds(5) };
        var send = () => Sender(options).SendAsync(Simple(Dsl), CancellationToken.None);
        (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.IsPermanent.Should().BeFalse();
    }

    [Test]
    public async Task A_server_that_never_answers_times_out_as_transient()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync(); // accepts, then says nothing
        var options = new SmtpOptions
        {
            Host = "127.0.0.1", Port = ((IPEndPoint)silent.LocalEndpoint).Port, FromAddress = "reports@esafe.example.org", Timeout = TimeSpan.FromSeconds(1),
        };
        var clock = Stopwatch.StartNew();
        var send = () => Sender(options).SendAsync(Simple(Dsl), CancellationToken.None);
        (await send.Should().ThrowAsync<EmailDeliveryException>()).Which.Should().Match<EmailDeliveryException>(e =>
            !e.IsPermanent && e.Message.Contains("did not answer", StringComparison.Ordinal));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await accepted).Dispose();
    }

    [Test]
    public async Task A_malformed_message_is_refused_before_any_connection()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var sender = Sender(server.SenderOptions());
        var cases = new[]
        {
            (Simple(), "no recipient"),
            (Simple(new EmailRecipient("X", "not-an-address")), "not an email address"),
            (Simple(new EmailRecipient("X", "a@b.example, c@d.example")), "not an email address"),
            (Simple(Dsl, Dsl), "listed twice"),
            (Simple(Dsl) with { Subject = "Line one\r\nBcc: someone@example.org" }, "subject"),
            (Simple(Dsl) with { Attachments = [new EmailAttachment("../report.pdf", "application/pdf", [1])] }, "plain file name"),
            (Simple(Dsl) with { Attachments = [new EmailAttachment("report.pdf", "not a type", [1])] }, "MIME type"),
        };
        foreach (var (message, expected) in cases)
        {
            var send = () => sender.SendAsync(message, CancellationToken.None);
            await send.Should().ThrowAsync<ArgumentException>().WithMessage($"*{expected}*");
        }

        server.Messages.Should().BeEmpty();
    }

    private static async Task<byte[]> Decoded(ReceivedEmail email)
    {
        using var content = new MemoryStream();
        await email.Message.Attachments.OfType<MimePart>().Single().Content!.DecodeToAsync(content);
        return content.ToArray();
    }
}
