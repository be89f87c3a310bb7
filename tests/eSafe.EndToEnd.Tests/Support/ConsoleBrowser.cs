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

    /// <summary>A page of a context of its own (its own cookies), signed in to the console; 1200×900 unless told.</summary>
    public async Task<IPage> SignInAsync(Uri console, string username, string password, ViewportSize? viewport = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(console.ToString());
        var form = page.Locator("#login-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=password]").FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A real JPEG of this HTML as Chromium draws it: what a pupil's tab looks like in a screenshot.</summary>
    public async Task<byte[]> JpegOfAsync(string html)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);
        var jpeg = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Jpeg, Quality = 80 });
        await context.CloseAsync();
        return jpeg;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
