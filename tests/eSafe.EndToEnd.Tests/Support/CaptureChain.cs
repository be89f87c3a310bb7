using System.Diagnostics;
using eSafe.Contracts.Http;
using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// One whole chain for many tests: the server, the host installed into a profile, Chromium with the
/// extension, and the pages' servers. Starting it costs seconds, so the capture tests share it; each test
/// opens its own pages at URLs carrying its own mark and finds its incidents by that mark.
/// </summary>
public sealed class CaptureChain : IAsyncDisposable
{
    /// <summary>
    /// Names that Chromium resolves to the local search servers: port 80 to <see cref="SearchPages"/>, port 443
    /// to <see cref="SecureSearchPages"/>.
    /// </summary>
    public static readonly string[] SearchHosts = ["www.google.com", "www.youtube.com", "www.bing.com"];

    public static readonly TimeSpan IncidentTimeout = TimeSpan.FromSeconds(20);

    private readonly TemporaryFolder _folder;

    private CaptureChain(TemporaryFolder folder, ServerProcess server, IAnalystApi analyst, PageServer pages,
        PageServer otherOrigin, PageServer searchPages, PageServer secureSearchPages, ExtensionBrowser browser)
    {
        _folder = folder;
        Server = server;
        Analyst = analyst;
        Pages = pages;
        OtherOrigin = otherOrigin;
        SearchPages = searchPages;
        SecureSearchPages = secureSearchPages;
        Browser = browser;
    }

    public ServerProcess Server { get; }

    public IAnalystApi Analyst { get; }

    /// <summary>The test pages, as a school's site would serve them.</summary>
    public PageServer Pages { get; }

    /// <summary>The same pages on another port: another origin, for cross-origin frames.</summary>
    public PageServer OtherOrigin { get; }

    /// <summary>Answers every path with a search results page, over http; <see cref="SearchHosts"/> on port 80 resolve here.</summary>
    public PageServer SearchPages { get; }

    /// <summary>The same over https (self-signed): <see cref="SearchHosts"/> on port 443 resolve here.</summary>
    public PageServer SecureSearchPages { get; }

    public ExtensionBrowser Browser { get; }

    /// <summary>The host's state folder (config, enrolment, outbox, cached libraries, log).</summary>
    public string HostStateDirectory => _folder.Sub("host-state");

    public IBrowserContext Context => Browser.Context;

    public static async Task<CaptureChain> StartAsync()
    {
        var clock = Stopwatch.StartNew();
        var folder = new TemporaryFolder("esafe-capture");
        // The pages' servers start while the server does.
        var starting = Task.Run(() => new[]
        {
            new PageServer(),
            new PageServer(),
            new PageServer(fallback: "search/results.html"),
            new PageServer(fallback: "search/results.html", https: true),
        });
        var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        var serverStarted = clock.Elapsed;
        var installed = await HostInstallation.InstallAsync(folder.Sub("profile"), folder.Sub("host-state"), server.Url, server.Demo.EnrolmentCode);
        installed.Should().Contain("Enrolled");
        var hostInstalled = clock.Elapsed;
        var analyst = await server.LoginAsAnalystAsync();
        var servers = await starting;
        var (pages, otherOrigin, searchPages, secureSearchPages) = (servers[0], servers[1], servers[2], servers[3]);
        var pagesStarted = clock.Elapsed;
        var mappings = new Dictionary<string, string>();
        foreach (var host in SearchHosts)
        {
            mappings[$"{host}:80"] = $"127.0.0.1:{searchPages.Port}";
            mappings[$"{host}:443"] = $"127.0.0.1:{secureSearchPages.Port}";
        }

        var browser = await ExtensionBrowser.LaunchAsync(
            folder.Sub("profile"),
            new Dictionary<string, string> { [HostInstallation.StateVariable] = folder.Sub("host-state") },
            mappings,
            acceptAnyCertificate: true);
        var browserStarted = clock.Elapsed;
        // For real pastes (the clipboard, then Ctrl+V).
        await browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var chain = new CaptureChain(folder, server, analyst, pages, otherOrigin, searchPages, secureSearchPages, browser);
        await chain.WaitForHostAsync(TimeSpan.FromSeconds(30));
        TestContext.Progress.WriteLine($"capture chain started in {clock.Elapsed.TotalSeconds:0.0} s " +
                                       $"(server {serverStarted.TotalSeconds:0.0} s, host {hostInstalled.TotalSeconds:0.0} s, pages {pagesStarted.TotalSeconds:0.0} s, browser {browserStarted.TotalSeconds:0.0} s, then the extension's host connection)");
        return chain;
    }

    /// <summary>A mark unique to the running test, to put in its pages' URLs.</summary>
    public static string TestMark() =>
        $"test={Uri.EscapeDataString(TestContext.CurrentContext.Test.MethodName ?? "test")}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Every incident whose URL carries the mark, oldest first.</summary>
    public async Task<IReadOnlyList<IncidentSummary>> IncidentsAsync(string mark)
    {
        var page = await Analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = Server.Demo.SchoolId, Limit = 200 }, CancellationToken.None);
        return page.Items.Where(i => i.Url.Contains(mark, StringComparison.Ordinal)).Reverse().ToList();
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> incidents carry the mark (and, with
    /// <paramref name="where"/>, match it), then returns their details, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<IncidentDetail>> WaitForIncidentsAsync(string mark, int count = 1,
        Func<IncidentSummary, bool>? where = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? IncidentTimeout;
        var deadline = Stopwatch.StartNew();
        List<IncidentSummary> found = [];
        while (deadline.Elapsed < limit)
        {
            found = (await IncidentsAsync(mark)).Where(where ?? (_ => true)).ToList();
            if (found.Count >= count)
            {
                TestContext.Progress.WriteLine($"  {TestContext.CurrentContext.Test.MethodName}: {count} incident(s) after {deadline.Elapsed.TotalSeconds:0.0} s");
                var details = new List<IncidentDetail>();
                foreach (var summary in found)
                {
                    details.Add(await Analyst.GetIncidentAsync(summary.Id, CancellationToken.None));
                }

                return details;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{found.Count} of {count} incident(s) for {mark} reached the server within {limit.TotalSeconds:0} s: " +
                    string.Join("; ", found.Select(f => $"{f.Source} '{f.MatchedText}' at {f.Url}")) +
                    $"\nthe extension's status: {await ExtensionStatusAsync()}\nthe host's log, its end:\n{HostLogTail()}");
        throw new UnreachableException();
    }

    private string HostLogTail()
    {
        var log = Path.Combine(HostStateDirectory, "host.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no host.log)";
    }

    /// <summary>
    /// The incidents for the mark once nothing new has arrived for <paramref name="quiet"/>: for asserting that
    /// something did NOT make a second incident, after the thing that did has been seen.
    /// </summary>
    public async Task<IReadOnlyList<IncidentDetail>> SettledIncidentsAsync(string mark, TimeSpan quiet)
    {
        await Task.Delay(quiet);
        var found = await IncidentsAsync(mark);
        var details = new List<IncidentDetail>();
        foreach (var summary in found)
        {
            details.Add(await Analyst.GetIncidentAsync(summary.Id, CancellationToken.None));
        }

        return details;
    }

    /// <summary>
    /// Until the extension says the host answered hello and is ready (its status record), so that the first
    /// test does not also time the browser's start-up: the first policy read alone takes about 3 s.
    /// </summary>
    public async Task WaitForHostAsync(TimeSpan timeout)
    {
        var status = await OpenExtensionPageAsync();
        try
        {
            var deadline = Stopwatch.StartNew();
            string? seen = null;
            while (deadline.Elapsed < timeout)
            {
                seen = await ConnectionAsync(status);
                if (seen == "ready")
                {
                    return;
                }

                await Task.Delay(200);
            }

            Assert.Fail($"the extension did not connect to a ready host within {timeout.TotalSeconds:0} s (last state: {seen})");
        }
        finally
        {
            await status.CloseAsync();
        }
    }

    /// <summary>"ready", or what the extension's status record says instead; read on one of its own pages.</summary>
    public static Task<string> ConnectionAsync(IPage extensionPage) =>
        extensionPage.EvaluateAsync<string>("""
            async () => {
              const { connection } = await chrome.storage.session.get('connection');
              return connection?.state === 'open' && connection.hello?.ready ? 'ready' : JSON.stringify(connection ?? null);
            }
            """);

    /// <summary>What the extension keeps in session storage (connection, backlog statistics, events not yet acked), for failure messages.</summary>
    public async Task<string> ExtensionStatusAsync()
    {
        var status = await OpenExtensionPageAsync();
        try
        {
            return await status.EvaluateAsync<string>("async () => JSON.stringify(await chrome.storage.session.get(null))");
        }
        catch (PlaywrightException e)
        {
            return $"unreadable: {e.Message}";
        }
        finally
        {
            await status.CloseAsync();
        }
    }

    /// <summary>When the extension's current connection to the host opened (ISO time), or null.</summary>
    public static Task<string?> ConnectedSinceAsync(IPage extensionPage) =>
        extensionPage.EvaluateAsync<string?>("async () => (await chrome.storage.session.get('connection')).connection?.since ?? null");

    /// <summary>The extension's own page (its ID is fixed by the manifest's key), where chrome.* can be evaluated.</summary>
    public async Task<IPage> OpenExtensionPageAsync()
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync($"chrome-extension://{ExtensionId}/status.html");
        return page;
    }

    public const string ExtensionId = "hiipfkacdajbinoadfgohldjcebaoijj";

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        SecureSearchPages.Dispose();
        SearchPages.Dispose();
        OtherOrigin.Dispose();
        Pages.Dispose();
        await Server.DisposeAsync();
        _folder.Dispose();
    }
}
