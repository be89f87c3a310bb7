using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// Debian's Chromium with NO unpacked extension: whatever extension it has, policy installed. Playwright's
/// defaults switch extensions and the background networking that installs them off; those two are left out.
/// </summary>
public static class PolicyBrowser
{
    public static async Task<(IPlaywright Playwright, IBrowserContext Context, int DevToolsPort)> LaunchAsync(string profileDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort.Next();
        var chromium = RepositoryLayout.Require(RepositoryLayout.Chromium, "install Debian's chromium (./build.sh --target=Test does)");
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profileDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Env = environment,
            ViewportSize = new ViewportSize { Width = 1024, Height = 700 },
            IgnoreDefaultArgs = ["--disable-extensions", "--disable-background-networking", "--disable-component-extensions-with-background-pages"],
            Args = ["--no-sandbox", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run",
                $"--remote-debugging-port={port}"],
        });
        return (playwright, context, port);
    }

    /// <summary>Opens the extension's own page once Chromium has installed it (its service worker runs); fails the test after the timeout.</summary>
    public static async Task<IPage> WaitForExtensionPageAsync(IBrowserContext context, int devToolsPort, string extensionId, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Watched through DevTools: opening an extension page before the extension exists closes the tab.
        var watcher = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(watcher);
        var origin = $"chrome-extension://{extensionId}/";
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var targets = await cdp.SendAsync("Target.getTargets");
            if (targets!.Value.GetProperty("targetInfos").EnumerateArray()
                .Any(t => t.GetProperty("url").GetString()?.StartsWith(origin, StringComparison.Ordinal) == true))
            {
                // A tab opened by the browser itself (DevTools' /json/new, as a user typing the address).
                using var http = new HttpClient();
                await http.PutAsync(new Uri($"http://127.0.0.1:{devToolsPort}/json/new?{origin}status.html"), null);
                for (var wait = 0; wait < 40; wait++)
                {
                    if (context.Pages.FirstOrDefault(p => p.Url.StartsWith(origin, StringComparison.Ordinal)) is { } page
                        && await page.EvaluateAsync<bool>("() => !!chrome.runtime?.id"))
                    {
                        await cdp.DetachAsync();
                        await watcher.CloseAsync();
                        return page;
                    }

                    await Task.Delay(250);
                }
            }

            await Task.Delay(500);
        }

        Assert.Fail($"Chromium did not install extension {extensionId} within {timeout.TotalSeconds:0} s");
        throw new System.Diagnostics.UnreachableException();
    }
}
