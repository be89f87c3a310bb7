using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace eSafe.Server.Tests.Phone;

/// <summary>The Twilio notifier, built as the server builds it, against a local stand-in for Twilio's API.</summary>
public sealed class TwilioPhoneNotifierTests
{
    private const string Contact = "+447700900123";
    private const string Message = "This is eSafe with an urgent safeguarding alert for Harbour Lane Primary. Reference INC-2041, severity 5.";

    private LocalTwilio _twilio = null!;
    private ServiceProvider _services = null!;
    private IPhoneNotifier _notifier = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _twilio = await LocalTwilio.StartAsync();
        _services = PhoneTestSettings.Services(PhoneTestSettings.For(_twilio));
        _notifier = _services.GetRequiredService<IPhoneNotifier>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Test]
    public async Task A_call_goes_to_the_contact_from_our_number_and_speaks_the_message_twice_then_asks_for_1_at_the_signed_webhook()
    {
        var token = AcknowledgeTokens.New();

        var sid = await _notifier.CallAsync(new PhoneCall(Contact, Message, token), CancellationToken.None);

        var call = (await _twilio.WaitForCallsAsync(1, TimeSpan.FromSeconds(5))).Single();
        (call.Sid, call.To, call.From).Should().Be((sid, Contact, PhoneTestSettings.FromNumber));
        sid.Should().MatchRegex("^CA[0-9a-f]{32}$");
        var response = XDocument.Parse(call.Twiml).Root!;
        response.Name.LocalName.Should().Be("Response");
        var said = response.Elements("Say").Select(say => (say.Value, Language: say.Attribute("language")?.Value)).ToList();
        said.Where(say => say.Value == Message).Should().HaveCount(2).And.OnlyContain(say => say.Language == "en-GB");
        var gather = response.Element("Gather")!;
        gather.Attribute("action")!.Value.Should().Be($"{PhoneTestSettings.PublicBaseUrl}/api/v1/phone/twilio/voice/{token}");
        (gather.Attribute("method")!.Value, gather.Attribute("numDigits")!.Value).Should().Be(("POST", "1"));
        gather.Element("Say")!.Value.Should().Be("Press 1 to acknowledge this alert.");
        response.Elements().Last().Name.LocalName.Should().Be("Say", "a closing sentence follows when no key is pressed");
        response.Elements().Select(e => e.Name.LocalName).Should().ContainInOrder("Say", "Say", "Gather", "Say");
        response.Descendants().Should().NotContain(e => e.Attribute("voice") != null && e.Attribute("voice")!.Value.StartsWith("Polly", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_text_goes_to_the_contact_with_the_body_given()
    {
        var body = $"eSafe urgent alert for Harbour Lane Primary (INC-2041). Acknowledge: {PhoneTestSettings.PublicBaseUrl}/ack/{AcknowledgeTokens.New()}";

        var sid = await _notifier.SendTextAsync(new PhoneText(Contact, body), CancellationToken.None);

        var text = (await _twilio.WaitForTextsAsync(1, TimeSpan.FromSeconds(5))).Single();
        (text.Sid, text.To, text.From, text.Body).Should().Be((sid, Contact, PhoneTestSettings.FromNumber, body));
        sid.Should().MatchRegex("^SM[0-9a-f]{32}$");
        _twilio.Calls.Should().BeEmpty();
    }

    private static readonly object[] ProviderFailures =
    [
        new object[] { 500, false },
        new object[] { 503, false },
        new object[] { 429, false },
        new object[] { 400, true },
        new object[] { 404, true },
    ];

    [TestCaseSource(nameof(ProviderFailures))]
    public async Task A_provider_error_is_transient_or_permanent_by_its_status_and_the_next_request_goes_through(int status, bool permanent)
    {
        _twilio.FailNext(2, status);

        var call = () => _notifier.CallAsync(new PhoneCall(Contact, Message, AcknowledgeTokens.New()), CancellationToken.None);
        var text = () => _notifier.SendTextAsync(new PhoneText(Contact, "eSafe test"), CancellationToken.None);

        var callFailure = (await call.Should().ThrowAsync<PhoneDeliveryException>()).Which;
        var textFailure = (await text.Should().ThrowAsync<PhoneDeliveryException>()).Which;
        foreach (var failure in new[] { callFailure, textFailure })
        {
            failure.IsPermanent.Should().Be(permanent);
            failure.Message.Should().Contain($"HTTP {status}").And.Contain("Twilio");
            failure.ToString().Should().NotContain(_twilio.AuthToken);
        }

        _twilio.Calls.Should().BeEmpty();
        _twilio.Texts.Should().BeEmpty();
        await call.Should().NotThrowAsync();
        await text.Should().NotThrowAsync();
        (_twilio.Calls.Count, _twilio.Texts.Count, _twilio.RequestCount).Should().Be((1, 1, 4));
    }

    [Test]
    public async Task Wrong_credentials_are_permanent_and_neither_token_shows_in_the_error()
    {
        var wrongToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var services = PhoneTestSettings.Services(PhoneTestSettings.For(_twilio, authToken: wrongToken));

        var call = () => services.GetRequiredService<IPhoneNotifier>().CallAsync(new PhoneCall(Contact, Message, AcknowledgeTokens.New()), CancellationToken.None);

        var failure = (await call.Should().ThrowAsync<PhoneDeliveryException>()).Which;
        failure.IsPermanent.Should().BeTrue();
        failure.Message.Should().Contain("HTTP 401").And.Contain("20003").And.Contain("Twilio:AuthToken");
        failure.ToString().Should().NotContain(wrongToken).And.NotContain(_twilio.AuthToken);
        (_twilio.RequestCount, _twilio.Calls.Count).Should().Be((1, 0));
    }

    [Test]
    public async Task A_refused_connection_is_transient()
    {
        var closedPort = ClosedPort();
        await using var services = PhoneTestSettings.Services(PhoneTestSettings.For(_twilio, apiBaseUrl: $"http://127.0.0.1:{closedPort}"));

        var call = () => services.GetRequiredService<IPhoneNotifier>().CallAsync(new PhoneCall(Contact, Message, AcknowledgeTokens.New()), CancellationToken.None);

        var failure = (await call.Should().ThrowAsync<PhoneDeliveryException>()).Which;
        failure.IsPermanent.Should().BeFalse();
        failure.Message.Should().Be("Twilio could not be reached to place the call: the connection was refused.");
    }

    [Test]
    public async Task A_provider_that_does_not_answer_in_time_is_transient()
    {
        await using var services = PhoneTestSettings.Services(PhoneTestSettings.For(_twilio, requestTimeout: "00:00:01"));
        _twilio.StallNext(1);
        var started = DateTime.UtcNow;

        var text = () => services.GetRequiredService<IPhoneNotifier>().SendTextAsync(new PhoneText(Contact, "eSafe test"), CancellationToken.None);

        var failure = (await text.Should().ThrowAsync<PhoneDeliveryException>()).Which;
        failure.IsPermanent.Should().BeFalse();
        failure.Message.Should().Be("Twilio could not be reached to send the text: it did not answer within 1 s.");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(8));
        _twilio.Texts.Should().BeEmpty();
    }

    [Test]
    public async Task Cancelling_stops_a_request_that_is_waiting_and_is_not_a_delivery_failure()
    {
        _twilio.StallNext(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;

        var call = () => _notifier.CallAsync(new PhoneCall(Contact, Message, AcknowledgeTokens.New()), cancel.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5), "the request timeout is 10 s; cancelling must not wait for it");
    }

    private static readonly object[] BadCalls =
    [
        new object[] { "07700900123", Message, "national form" },
        new object[] { "+07700900123", Message, "leading zero" },
        new object[] { "+4477009", Message, "too short" },
        new object[] { "+4477009001234567", Message, "too long" },
        new object[] { "+44 7700 900123", Message, "spaces" },
        new object[] { "", Message, "empty number" },
        new object[] { Contact, "", "empty message" },
        new object[] { Contact, "   ", "blank message" },
        new object[] { Contact, new string('a', 2000), "message too long for TwiML" },
    ];

    [TestCaseSource(nameof(BadCalls))]
    public async Task A_call_that_cannot_be_right_fails_permanently_before_reaching_the_provider(string to, string message, string because)
    {
        var call = () => _notifier.CallAsync(new PhoneCall(to, message, AcknowledgeTokens.New()), CancellationToken.None);

        (await call.Should().ThrowAsync<PhoneDeliveryException>(because)).Which.IsPermanent.Should().BeTrue();
        _twilio.RequestCount.Should().Be(0);
    }

    [TestCase("short-token")]
    [TestCase("has a space in it and is long enough")]
    [TestCase("dots.are.not.allowed.in.tokens.at.all")]
    public async Task A_call_with_a_malformed_acknowledgement_token_fails_permanently(string token)
    {
        var call = () => _notifier.CallAsync(new PhoneCall(Contact, Message, token), CancellationToken.None);

        (await call.Should().ThrowAsync<PhoneDeliveryException>()).Which.IsPermanent.Should().BeTrue();
        _twilio.RequestCount.Should().Be(0);
    }

    [TestCase("")]
    [TestCase(" ")]
    public async Task A_text_without_a_body_or_too_long_fails_permanently(string body)
    {
        var empty = () => _notifier.SendTextAsync(new PhoneText(Contact, body), CancellationToken.None);
        var tooLong = () => _notifier.SendTextAsync(new PhoneText(Contact, new string('x', TwilioPhoneNotifier.MaxTextLength + 1)), CancellationToken.None);

        (await empty.Should().ThrowAsync<PhoneDeliveryException>()).Which.IsPermanent.Should().BeTrue();
        (await tooLong.Should().ThrowAsync<PhoneDeliveryException>()).Which.IsPermanent.Should().BeTrue();
        _twilio.RequestCount.Should().Be(0);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
