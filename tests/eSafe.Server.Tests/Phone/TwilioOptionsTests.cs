using eSafe.Server.Notifications.Phone;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace eSafe.Server.Tests.Phone;

/// <summary>The Twilio settings' checks, when the notifier is registered, and the number and token formats.</summary>
public sealed class TwilioOptionsTests
{
    private const string AuthToken = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static TwilioOptions Valid() => new()
    {
        AccountSid = "AC" + new string('a', 16) + new string('0', 16),
        AuthToken = AuthToken,
        FromNumber = "+441632960100",
        PublicBaseUrl = "https://esafe.example.org/",
    };

    [Test]
    public void Valid_settings_have_no_problems_and_make_the_callback_urls_from_the_public_address()
    {
        var options = Valid();

        options.Validate().Should().BeEmpty();
        options.VoiceWebhookUrl("tok_1234567890abcdefghijk").Should().Be("https://esafe.example.org/api/v1/phone/twilio/voice/tok_1234567890abcdefghijk");
        options.AcknowledgeLink("tok_1234567890abcdefghijk").Should().Be("https://esafe.example.org/ack/tok_1234567890abcdefghijk");
    }

    private static readonly object[] Problems =
    [
        new object[] { (Action<TwilioOptions>)(o => o.AccountSid = ""), "Twilio:AccountSid" },
        new object[] { (Action<TwilioOptions>)(o => o.AccountSid = "AC123"), "Twilio:AccountSid" },
        new object[] { (Action<TwilioOptions>)(o => o.AccountSid = "SK" + new string('0', 32)), "Twilio:AccountSid" },
        new object[] { (Action<TwilioOptions>)(o => o.AccountSid = "AC" + new string('g', 32)), "Twilio:AccountSid" },
        new object[] { (Action<TwilioOptions>)(o => o.AuthToken = ""), "Twilio:AuthToken" },
        new object[] { (Action<TwilioOptions>)(o => o.AuthToken = "short"), "Twilio:AuthToken" },
        new object[] { (Action<TwilioOptions>)(o => o.AuthToken = AuthToken + " " + AuthToken), "Twilio:AuthToken" },
        new object[] { (Action<TwilioOptions>)(o => o.FromNumber = "01632960100"), "Twilio:FromNumber" },
        new object[] { (Action<TwilioOptions>)(o => o.FromNumber = ""), "Twilio:FromNumber" },
        new object[] { (Action<TwilioOptions>)(o => o.ApiBaseUrl = "api.twilio.com"), "Twilio:ApiBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.ApiBaseUrl = "http://api.twilio.com"), "Twilio:ApiBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.ApiBaseUrl = "ftp://127.0.0.1"), "Twilio:ApiBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.PublicBaseUrl = ""), "Twilio:PublicBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.PublicBaseUrl = "http://esafe.example.org"), "Twilio:PublicBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.PublicBaseUrl = "https://esafe.example.org/?x=1"), "Twilio:PublicBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.PublicBaseUrl = "https://user:pass@esafe.example.org"), "Twilio:PublicBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.PublicBaseUrl = "/relative"), "Twilio:PublicBaseUrl" },
        new object[] { (Action<TwilioOptions>)(o => o.RequestTimeout = TimeSpan.Zero), "Twilio:RequestTimeout" },
        new object[] { (Action<TwilioOptions>)(o => o.RequestTimeout = TimeSpan.FromHours(1)), "Twilio:RequestTimeout" },
    ];

    [TestCaseSource(nameof(Problems))]
    public void Each_wrong_setting_is_one_problem_naming_its_key_and_no_secret(Action<TwilioOptions> spoil, string key)
    {
        var options = Valid();
        spoil(options);

        var problems = options.Validate();

        problems.Should().ContainSingle().Which.Should().StartWith(key);
        problems.Single().Should().NotContain(AuthToken);
    }

    [Test]
    public void Empty_settings_list_every_required_key()
    {
        var problems = new TwilioOptions().Validate();

        problems.Select(p => p.Split(' ')[0]).Should().Equal("Twilio:AccountSid", "Twilio:AuthToken", "Twilio:FromNumber", "Twilio:PublicBaseUrl");
    }

    [TestCase("http://127.0.0.1:5099")]
    [TestCase("http://localhost:5099")]
    [TestCase("https://relay.example.org/twilio")]
    public void Plain_http_is_allowed_only_to_this_machine(string apiBase)
    {
        var options = Valid();
        options.ApiBaseUrl = apiBase;

        options.Validate().Should().BeEmpty();
    }

    [Test]
    public void The_notifier_is_registered_only_for_a_present_and_valid_twilio_section()
    {
        var valid = new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = Valid().AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:FromNumber"] = "+441632960100",
            ["Twilio:PublicBaseUrl"] = "https://esafe.example.org",
        };
        var invalid = new Dictionary<string, string?>(valid) { ["Twilio:FromNumber"] = "not a number" };

        using var configured = PhoneTestSettings.Services(valid);
        using var absent = PhoneTestSettings.Services(new Dictionary<string, string?> { ["Other:Key"] = "x" });
        using var broken = PhoneTestSettings.Services(invalid);

        configured.GetService<IPhoneNotifier>().Should().BeOfType<TwilioPhoneNotifier>();
        configured.GetRequiredService<TwilioOptions>().ApiBaseUrl.Should().Be(TwilioOptions.DefaultApiBaseUrl);
        absent.GetService<IPhoneNotifier>().Should().BeNull();
        absent.GetServices<IHostedService>().Should().BeEmpty();
        broken.GetService<IPhoneNotifier>().Should().BeNull();
        broken.GetService<TwilioOptions>().Should().BeNull();
        broken.GetServices<IHostedService>().Should().ContainSingle("a start-up warning lists the problems");
    }

    [TestCase("+441632960100", true)]
    [TestCase("+12025550123", true)]
    [TestCase("+12345678", true)]
    [TestCase("+123456789012345", true)]
    [TestCase("+1234567", false)]
    [TestCase("+1234567890123456", false)]
    [TestCase("+0441632960100", false)]
    [TestCase("441632960100", false)]
    [TestCase("+44 1632 960100", false)]
    [TestCase("+44-1632-960100", false)]
    [TestCase("+٤٤١٦٣٢٩٦٠١٠٠", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void E164_is_a_plus_and_8_to_15_digits_not_starting_with_0(string? number, bool valid)
    {
        PhoneNumbers.IsE164(number).Should().Be(valid);
    }

    [Test]
    public void A_masked_number_keeps_only_its_last_four_digits()
    {
        PhoneNumbers.Mask("+447700900123").Should().Be("+********0123");
        PhoneNumbers.Mask("07700900123").Should().Be("(not a phone number)");
    }

    [TestCase("abcdefghijklmnopqrstuv", true)]
    [TestCase("ABC-def_0123456789xyzQ", true)]
    [TestCase("abcdefghijklmnopqrstu", false)]
    [TestCase("abcdefghijklmnopqrstuv/", false)]
    [TestCase("abcdefghijklmnopqrstuv=", false)]
    [TestCase("abcdefghijk mnopqrstuv", false)]
    [TestCase("abcdefghijklmnopqrstuvé", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void Tokens_are_22_to_64_url_safe_characters(string? token, bool valid)
    {
        AcknowledgeTokens.IsValid(token).Should().Be(valid);
        AcknowledgeTokens.IsValid(new string('a', 64)).Should().BeTrue();
        AcknowledgeTokens.IsValid(new string('a', 65)).Should().BeFalse();
    }

    [Test]
    public void New_tokens_are_valid_and_differ()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AcknowledgeTokens.New()).ToList();

        tokens.Should().OnlyContain(t => AcknowledgeTokens.IsValid(t) && t.Length == 43);
        tokens.Should().OnlyHaveUniqueItems();
    }
}
