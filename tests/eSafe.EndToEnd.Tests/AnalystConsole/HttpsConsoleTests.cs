using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The console over HTTPS served by the server itself (its self-signed certificate from --demo), in real Chromium
/// that trusts exactly that certificate's key, by the pin the server printed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HttpsConsoleTests
{
    private TemporaryFolder _folder = null!;
    private ServerProcess _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = new TemporaryFolder("esafe-https-console");
        _server = await ServerProcess.StartAsync(_folder.Sub("server-data"), TimeSpan.FromSeconds(60), https: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task An_analyst_signs_in_over_HTTPS_with_a_Secure_session_cookie_and_HSTS()
    {
        _server.Url.Scheme.Should().Be("https");
        _server.PublicKeyPin.Should().NotBeNullOrEmpty("the banner prints the certificate's key pin");
        await using var browser = await ConsoleBrowser.LaunchAsync("--ignore-certificate-errors-spki-list=" + _server.PublicKeyPin);

        var page = await browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword);

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "esafe_session");
        cookie.Secure.Should().BeTrue();
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict);
        var reloaded = await page.ReloadAsync();
        reloaded!.Headers["strict-transport-security"].Should().StartWith("max-age=");
        await Expect(page.Locator("#queue")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_browser_that_does_not_trust_the_key_is_refused()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync("--ignore-certificate-errors-spki-list=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        await FluentActions.Awaiting(() => browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword))
            .Should().ThrowAsync<PlaywrightException>().WithMessage("*ERR_CERT*");
    }
}
