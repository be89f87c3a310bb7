using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Debian's Chromium, headless and without the extension, for driving the analysts' console.</summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <param name="arguments">More Chromium switches (e.g. to trust a test server's certificate by its key).</param>
    public static async Task<ConsoleBrowser> LaunchAsync(params string[] arguments)
    {
        var chromium = RepositoryLayout.Require(RepositoryLayout.Chromium, "install Debian's chromium (./build.sh --target=Test does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", .. arguments],
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A page of a context of its own (its own cookies), signed in to the console.</summary>
    public async Task<IPage> SignInAsync(Uri console, string username, string password)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(console.ToString());
        var form = page.Locator("#login-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=password]").FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue")).ToBeVisibleAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
