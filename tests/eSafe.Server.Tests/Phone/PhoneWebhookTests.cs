using System.Net;
using System.Xml.Linq;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Security;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace eSafe.Server.Tests.Phone;

/// <summary>
/// The webhooks on a real server: a key press on a call placed through the stand-in Twilio (signed as Twilio signs,
/// for the server's public address, delivered to its local one as a proxy would) and the SMS link's page.
/// </summary>
public sealed class PhoneWebhookTests
{
    private const string Contact = "+447700900123";

    private LocalTwilio _twilio = null!;
    private InMemoryPhoneAcknowledgements _acknowledgements = null!;
    private ServerHarness _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = await LocalTwilio.StartAsync();
        _acknowledgements = new InMemoryPhoneAcknowledgements();
        _server = await ServerHarness.StartAsync(demo: false, settings: PhoneTestSettings.For(_twilio),
            services: services => services.AddSingleton<IPhoneAcknowledgements>(_acknowledgements));
        _twilio.WebhookTarget = _server.BaseAddress;
        _http = _server.HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Test]
    public async Task Pressing_1_acknowledges_once_by_phone_and_a_second_press_hears_it_was_already()
    {
        var token = _acknowledgements.AddAlert();
        var call = await PlaceCallAsync(token);

        var first = await _twilio.PressKeyAsync(call, "1");
        var second = await _twilio.PressKeyAsync(call, "1");

        first.Status.Should().Be(HttpStatusCode.OK);
        first.ContentType.Should().Be("text/xml");
        Spoken(first).Should().Equal("Thank you. The alert is acknowledged.");
        XDocument.Parse(first.Body).Root!.Element("Hangup").Should().NotBeNull();
        Spoken(second).Should().Equal("This alert was already acknowledged.");
        _acknowledgements.Acknowledgements.Where(a => a.Token == token).Should().Equal(
            new InMemoryPhoneAcknowledgements.Acknowledgement(token, "phone", Contact));
    }

    [TestCase("2")]
    [TestCase("#")]
    [TestCase("")]
    public async Task Another_key_asks_again_at_the_same_signed_url_and_acknowledges_nothing(string digits)
    {
        var token = _acknowledgements.AddAlert();
        var call = await PlaceCallAsync(token);
        var asked = _acknowledgements.Asked;

        var reply = await _twilio.PressKeyAsync(call, digits);

        reply.Status.Should().Be(HttpStatusCode.OK);
        LocalTwilio.GatherAction(reply.Body).Should().Be(LocalTwilio.GatherAction(call.Twiml));
        Spoken(reply).Should().StartWith("Press 1 to acknowledge this alert.");
        _acknowledgements.Asked.Should().Be(asked);
        _acknowledgements.Acknowledgements.Should().NotContain(a => a.Token == token);
    }

    [Test]
    public async Task A_key_press_for_an_alert_the_server_does_not_know_says_so()
    {
        var call = await PlaceCallAsync(AcknowledgeTokens.New());

        var reply = await _twilio.PressKeyAsync(call, "1");

        reply.Status.Should().Be(HttpStatusCode.OK);
        Spoken(reply).Should().Equal("This alert is not known.");
    }

    private static readonly string[] Forgeries =
    [
        "no signature",
        "empty signature",
        "signed with another token",
        "signed for the local address instead of the public one",
        "digits changed after signing",
        "caller changed after signing",
        "field added after signing",
        "signature of another call",
    ];

    [TestCaseSource(nameof(Forgeries))]
    public async Task A_key_press_without_a_valid_signature_is_refused_and_changes_nothing(string forgery)
    {
        var token = _acknowledgements.AddAlert();
        var call = await PlaceCallAsync(token);
        var url = LocalTwilio.GatherAction(call.Twiml);
        var form = _twilio.KeyPressForm(call, "1");
        var signature = LocalTwilio.Sign(url, form, _twilio.AuthToken);
        switch (forgery)
        {
            case "no signature": signature = null; break;
            case "empty signature": signature = ""; break;
            case "signed with another token": signature = LocalTwilio.Sign(url, form, new string('f', 32)); break;
            case "signed for the local address instead of the public one":
                signature = LocalTwilio.Sign(new Uri(_server.BaseAddress, new Uri(url).PathAndQuery).ToString(), form, _twilio.AuthToken); break;
            case "digits changed after signing": form["Digits"] = "1"; signature = LocalTwilio.Sign(url, With(form, "Digits", "2"), _twilio.AuthToken); break;
            case "caller changed after signing": form["To"] = "+447700900999"; signature = LocalTwilio.Sign(url, With(form, "To", Contact), _twilio.AuthToken); break;
            case "field added after signing": signature = LocalTwilio.Sign(url, form, _twilio.AuthToken); form["SpeechResult"] = "yes"; break;
            case "signature of another call":
                var other = await PlaceCallAsync(_acknowledgements.AddAlert());
                signature = LocalTwilio.Sign(LocalTwilio.GatherAction(other.Twiml), _twilio.KeyPressForm(other, "1"), _twilio.AuthToken); break;
            default: throw new ArgumentOutOfRangeException(nameof(forgery));
        }

        var asked = _acknowledgements.Asked;

        var reply = await _twilio.PostWebhookAsync(url, form, signature);

        reply.Status.Should().Be(HttpStatusCode.Forbidden);
        reply.Body.Should().Contain("signature");
        _acknowledgements.Asked.Should().Be(asked);
        _acknowledgements.Acknowledgements.Should().NotContain(a => a.Token == token);
    }

    [Test]
    public async Task The_webhook_is_public_and_not_held_to_the_consoles_same_origin_rule()
    {
        var token = _acknowledgements.AddAlert();
        var call = await PlaceCallAsync(token);
        var url = LocalTwilio.GatherAction(call.Twiml);
        var form = _twilio.KeyPressForm(call, "1");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url).PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(LocalTwilio.SignatureHeader, LocalTwilio.Sign(url, form, _twilio.AuthToken));
        request.Headers.Add("Origin", "https://elsewhere.example.net");

        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _acknowledgements.Acknowledgements.Should().Contain(a => a.Token == token);
    }

    private static readonly string[] MalformedTokens =
    [
        "short",
        "abcdefghijklmnopqrstu",
        new string('a', 65),
        "has.dots.in.it.which.are.not.url.safe",
        "has%20an%20escaped%20space%20in%20it",
        "~tilde~is~not~among~the~characters~allowed",
    ];

    [TestCaseSource(nameof(MalformedTokens))]
    public async Task A_malformed_token_is_404_everywhere_without_asking_the_store(string token)
    {
        var asked = _acknowledgements.Asked;
        var form = new Dictionary<string, string> { ["Digits"] = "1", ["To"] = Contact };
        var url = $"{PhoneTestSettings.PublicBaseUrl}/api/v1/phone/twilio/voice/{token}";

        var voice = await _twilio.PostWebhookAsync(url, form, LocalTwilio.Sign(url, form, _twilio.AuthToken));
        using var page = await _http.GetAsync(new Uri($"/ack/{token}", UriKind.Relative));
        using var post = await _http.PostAsync(new Uri($"/ack/{token}", UriKind.Relative), null);

        (voice.Status, page.StatusCode, post.StatusCode).Should().Be((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound));
        _acknowledgements.Asked.Should().Be(asked);
    }

    [Test]
    public async Task The_link_page_shows_the_alert_and_a_button_but_opening_it_never_acknowledges()
    {
        var token = _acknowledgements.AddAlert("St <Mary's> & All Saints", "INC-7731", 5);

        using var first = await _http.GetAsync(new Uri($"/ack/{token}", UriKind.Relative));
        using var again = await _http.GetAsync(new Uri($"/ack/{token}", UriKind.Relative));
        var html = await first.Content.ReadAsStringAsync();

        (first.StatusCode, again.StatusCode).Should().Be((HttpStatusCode.OK, HttpStatusCode.OK));
        first.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        first.Headers.GetValues("Content-Security-Policy").Single().Should().Be(SecurityHeaders.ContentSecurityPolicy);
        var page = XDocument.Parse(html.Replace("<!doctype html>", "", StringComparison.Ordinal));
        var form = page.Descendants("form").Single();
        (form.Attribute("method")!.Value, form.Attribute("action")!.Value).Should().Be(("post", $"/ack/{token}"));
        form.Descendants("button").Single().Value.Should().Be("I acknowledge this alert");
        page.Descendants("dd").Select(dd => dd.Value).Should().Equal("St <Mary's> & All Saints", "INC-7731", "5 of 5");
        html.Should().NotContain("<script").And.NotContain("style=").And.NotContain("<Mary");
        _acknowledgements.Acknowledgements.Should().NotContain(a => a.Token == token);
    }

    [Test]
    public async Task Posting_the_button_acknowledges_once_by_sms_link()
    {
        var token = _acknowledgements.AddAlert();

        using var first = await _http.PostAsync(new Uri($"/ack/{token}", UriKind.Relative), new FormUrlEncodedContent([]));
        using var second = await _http.PostAsync(new Uri($"/ack/{token}", UriKind.Relative), new FormUrlEncodedContent([]));
        using var page = await _http.GetAsync(new Uri($"/ack/{token}", UriKind.Relative));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.Content.ReadAsStringAsync()).Should().Contain("Thank you. The alert is acknowledged.");
        (await second.Content.ReadAsStringAsync()).Should().Contain("This alert was already acknowledged.");
        var shown = await page.Content.ReadAsStringAsync();
        shown.Should().Contain("This alert was already acknowledged.").And.NotContain("<form");
        _acknowledgements.Acknowledgements.Where(a => a.Token == token).Should().Equal(
            new InMemoryPhoneAcknowledgements.Acknowledgement(token, "sms-link", null));
    }

    [Test]
    public async Task A_link_to_an_alert_the_server_does_not_know_is_404_and_says_so()
    {
        var token = AcknowledgeTokens.New();

        using var page = await _http.GetAsync(new Uri($"/ack/{token}", UriKind.Relative));
        using var post = await _http.PostAsync(new Uri($"/ack/{token}", UriKind.Relative), null);

        (page.StatusCode, post.StatusCode).Should().Be((HttpStatusCode.NotFound, HttpStatusCode.NotFound));
        (await page.Content.ReadAsStringAsync()).Should().Contain("This alert is not known.").And.NotContain("<form");
        (await post.Content.ReadAsStringAsync()).Should().Contain("This alert is not known.");
    }

    [Test]
    public async Task Without_a_phone_provider_the_voice_webhook_answers_503()
    {
        await using var noProvider = await ServerHarness.StartAsync(demo: false);
        var token = AcknowledgeTokens.New();
        using var providerless = noProvider.HttpClient();

        using var unconfigured = await providerless.PostAsync(new Uri($"/api/v1/phone/twilio/voice/{token}", UriKind.Relative), new FormUrlEncodedContent([]));

        unconfigured.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        noProvider.App.Services.GetService<IPhoneNotifier>().Should().BeNull("no Twilio section means no phone provider");
        (await unconfigured.Content.ReadAsStringAsync()).Should().Contain("No phone provider is configured");
    }

    private async Task<RecordedCall> PlaceCallAsync(string token)
    {
        var sid = await _server.Service<IPhoneNotifier>().CallAsync(
            new PhoneCall(Contact, "This is eSafe with an urgent safeguarding alert. Reference INC-2041.", token), CancellationToken.None);
        return _twilio.Calls.Single(call => call.Sid == sid);
    }

    private static List<string> Spoken(WebhookReply reply) =>
        [.. XDocument.Parse(reply.Body).Root!.Descendants("Say").Select(say => say.Value)];

    private static Dictionary<string, string> With(Dictionary<string, string> form, string name, string value) =>
        new(form, StringComparer.Ordinal) { [name] = value };
}
