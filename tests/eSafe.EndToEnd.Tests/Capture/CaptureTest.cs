using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// A capture test: its own mark (in every URL it opens, so its incidents are told apart from the other
/// tests' on the shared chain), its own tabs (closed after it), and typing as a pupil types.
/// </summary>
public abstract class CaptureTest
{
    /// <summary>Between keys: a fast typist, far below the extension's 1 s pause.</summary>
    public const int KeyDelayMs = 5;

    /// <summary>How long to keep looking for an incident that must NOT come, once the one that must has come.</summary>
    protected static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly List<IPage> _pages = [];

    protected static CaptureChain Chain => CaptureSetUp.Chain;

    protected string Mark { get; private set; } = "";

    [SetUp]
    public void NewMark() => Mark = CaptureChain.TestMark();

    [TearDown]
    public async Task CloseTabsAsync()
    {
        foreach (var page in _pages)
        {
            await page.CloseAsync();
        }

        _pages.Clear();
    }

    /// <summary>A new tab (in front) on one of the test pages, at a URL carrying the mark and <paramref name="query"/>.</summary>
    protected async Task<IPage> OpenAsync(string relativePath, string? query = null, PageServer? on = null)
    {
        var page = await Chain.Context.NewPageAsync();
        _pages.Add(page);
        await page.GotoAsync((on ?? Chain.Pages).Page(relativePath, query is null ? Mark : $"{Mark}&{query}").ToString());
        await page.BringToFrontAsync();
        return page;
    }

    /// <summary>A new tab (in front) at any URL; the test puts its mark in it.</summary>
    protected async Task<IPage> OpenUrlAsync(string url)
    {
        var page = await Chain.Context.NewPageAsync();
        _pages.Add(page);
        await page.GotoAsync(url);
        await page.BringToFrontAsync();
        return page;
    }

    /// <summary>
    /// Stops every service worker of the profile (the extension's among them) through the DevTools protocol, as
    /// Chrome does to an idle one: the native port closes and the host process ends.
    /// </summary>
    protected static async Task StopWorkerAsync(ICDPSession cdp)
    {
        ArgumentNullException.ThrowIfNull(cdp);
        await cdp.SendAsync("ServiceWorker.enable");
        await cdp.SendAsync("ServiceWorker.stopAllWorkers");
        await cdp.SendAsync("ServiceWorker.disable");
    }

    /// <summary>Types without pausing: key after key, as a pupil types a sentence.</summary>
    protected static Task TypeAsync(ILocator field, string text) =>
        field.PressSequentiallyAsync(text, new LocatorPressSequentiallyOptions { Delay = KeyDelayMs });

    /// <summary>Types at the focused element, without pausing.</summary>
    protected static Task TypeAsync(IPage page, string text) =>
        page.Keyboard.TypeAsync(text, new KeyboardTypeOptions { Delay = KeyDelayMs });

    protected static async Task PressAsync(IPage page, string key, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            await page.Keyboard.PressAsync(key);
        }
    }

    /// <summary>
    /// A real paste: the text goes on the clipboard, then Ctrl+V, so the page sees the browser's paste
    /// (a paste event, then an insertFromPaste input) and an editor that handles paste itself does so.
    /// </summary>
    protected static async Task PasteAsync(IPage page, string text)
    {
        await page.EvaluateAsync("text => navigator.clipboard.writeText(text)", text);
        await page.Keyboard.PressAsync("Control+V");
    }

    protected Task<IReadOnlyList<IncidentDetail>> IncidentsAsync(int count = 1, Func<IncidentSummary, bool>? where = null, TimeSpan? timeout = null) =>
        Chain.WaitForIncidentsAsync(Mark, count, where, timeout);

    protected async Task<IncidentDetail> IncidentAsync(Func<IncidentSummary, bool>? where = null) => (await IncidentsAsync(1, where))[0];

    /// <summary>Every incident with this test's mark once nothing new has come for a moment.</summary>
    protected Task<IReadOnlyList<IncidentDetail>> AllIncidentsAsync() => Chain.SettledIncidentsAsync(Mark, Quiet);
}
