using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Debian's Chromium with the unpacked extension, headless, on a profile of the test's own.</summary>
public sealed class ExtensionBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private ExtensionBrowser(IPlaywright playwright, IBrowserContext context)
    {
        _playwright = playwright;
        Context = context;
    }

    public IBrowserContext Context { get; }

    /// <param name="environment">Passed to Chromium, and so to the native host it starts.</param>
    /// <param name="hostMappings">
    /// Public host names (or host:port) that Chromium resolves to a local server instead ("www.google.com:443" →
    /// "127.0.0.1:PORT"), through its <c>--host-resolver-rules</c>; every other name resolves as usual.
    /// </param>
    /// <param name="acceptAnyCertificate">For test servers with self-signed certificates (see <see cref="PageServer"/>).</param>
    /// <param name="extensionDirectory">Another copy of the extension (<see cref="ExtensionCopy"/>); the repository's when null.</param>
    public static async Task<ExtensionBrowser> LaunchAsync(
        string profileDirectory,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string>? hostMappings = null,
        bool acceptAnyCertificate = false,
        string? extensionDirectory = null)
    {
        var chromium = RepositoryLayout.Require(RepositoryLayout.Chromium, "install Debian's chromium (./build.sh --target=Test does)");
        var extension = extensionDirectory ?? RepositoryLayout.Extension;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profileDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Env = environment,
            IgnoreHTTPSErrors = acceptAnyCertificate,
            ViewportSize = new ViewportSize { Width = 1024, Height = 700 },
            Args =
            [
                $"--disable-extensions-except={extension}",
                $"--load-extension={extension}",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                .. HostResolverRules(hostMappings),
            ],
        });
        return new ExtensionBrowser(playwright, context);
    }

    private static IEnumerable<string> HostResolverRules(IReadOnlyDictionary<string, string>? mappings) =>
        mappings is { Count: > 0 }
            ? [$"--host-resolver-rules={string.Join(", ", mappings.Select(m => $"MAP {m.Key} {m.Value}"))}"]
            : [];

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
    }
}
