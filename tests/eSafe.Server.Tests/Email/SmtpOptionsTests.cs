using eSafe.Server.Notifications.Email;
using Microsoft.Extensions.Configuration;

namespace eSafe.Server.Tests.Email;

public sealed class SmtpOptionsTests
{
    private static SmtpOptions Good() => new() { Host = "smtp.example.org", FromAddress = "reports@esafe.example.org" };

    [Test]
    public void Good_settings_have_no_problems_and_default_to_STARTTLS_on_587()
    {
        var options = Good();
        options.Validate().Should().BeEmpty();
        options.Port.Should().Be(587);
        options.Security.Should().Be(SmtpSecurity.StartTls);
        options.FromName.Should().Be("eSafe");
    }

    private static IEnumerable<TestCaseData> Bad()
    {
        TestCaseData Case(string name, Action<SmtpOptions> change, string expected) =>
            new TestCaseData(change, expected).SetName(name);

        yield return Case("No host", o => o.Host = "", "Smtp:Host is required");
        yield return Case("Host with a space", o => o.Host = "smtp example.org", "not a host name");
        yield return Case("Port 0", o => o.Port = 0, "Smtp:Port 0");
        yield return Case("Port 70000", o => o.Port = 70000, "Smtp:Port 70000");
        yield return Case("Unknown security", o => o.Security = (SmtpSecurity)7, "StartTls, Tls or None");
        yield return Case("None to a remote host", o => o.Security = SmtpSecurity.None, "only for a mail relay on this machine");
        yield return Case("None to a private address", o => { o.Security = SmtpSecurity.None; o.Host = "10.0.0.5"; }, "not 10.0.0.5");
        yield return Case("No sender", o => o.FromAddress = "", "Smtp:FromAddress");
        yield return Case("Sender with a name", o => o.FromAddress = "eSafe <reports@esafe.example.org>", "Smtp:FromAddress");
        yield return Case("Sender name on two lines", o => o.FromName = "eSafe\nBcc: x@example.org", "Smtp:FromName");
        yield return Case("Username without password", o => o.Username = "esafe", "go together");
        yield return Case("Password without username", o => o.Password = "secret", "go together");
        yield return Case("Timeout too short", o => o.Timeout = TimeSpan.FromMilliseconds(10), "Smtp:Timeout");
        yield return Case("Pin not hex", o => o.TrustedCertificateSha256 = "not-a-fingerprint", "64 hexadecimal digits");
        yield return Case("Pin too short", o => o.TrustedCertificateSha256 = "abcd", "64 hexadecimal digits");
        yield return Case("Pin without TLS", o => { o.Security = SmtpSecurity.None; o.Host = "127.0.0.1"; o.TrustedCertificateSha256 = new string('0', 64); }, "needs Smtp:Security");
    }

    [TestCaseSource(nameof(Bad))]
    public void Bad_settings_are_named(Action<SmtpOptions> change, string expected)
    {
        var options = Good();
        change(options);
        options.Validate().Should().ContainSingle().Which.Should().Contain(expected);
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("127.8.9.10")]
    [TestCase("::1")]
    [TestCase("[::1]")]
    public void Plain_text_is_allowed_to_a_loopback_relay(string host)
    {
        var options = Good();
        options.Host = host;
        options.Security = SmtpSecurity.None;
        options.Validate().Should().BeEmpty();
    }

    [Test]
    public void Every_problem_is_listed_at_once()
    {
        new SmtpOptions { Port = -1 }.Validate().Should().HaveCount(3, "host, port and sender are all wrong");
    }

    [Test]
    public void The_settings_bind_from_configuration_keys_under_Smtp()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "mail.example.org",
            ["Smtp:Port"] = "465",
            ["Smtp:Security"] = "Tls",
            ["Smtp:Username"] = "esafe",
            ["Smtp:Password"] = "from-the-environment",
            ["Smtp:FromAddress"] = "reports@esafe.example.org",
            ["Smtp:FromName"] = "eSafe reports",
            ["Smtp:Timeout"] = "00:00:45",
            ["Smtp:TrustedCertificateSha256"] = new string('A', 64),
        }).Build();

        var options = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>()!;

        options.Validate().Should().BeEmpty();
        options.Should().BeEquivalentTo(new SmtpOptions
        {
            Host = "mail.example.org", Port = 465, Security = SmtpSecurity.Tls, Username = "esafe", Password = "from-the-environment",
            FromAddress = "reports@esafe.example.org", FromName = "eSafe reports", Timeout = TimeSpan.FromSeconds(45),
            TrustedCertificateSha256 = new string('A', 64),
        });
    }
}
