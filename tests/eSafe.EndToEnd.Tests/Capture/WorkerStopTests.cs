using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// Chrome stops an idle MV3 service worker whenever it likes (and with it the native port and the host).
/// Here it is stopped on purpose, through the DevTools protocol (ServiceWorker.stopAllWorkers on a page's
/// session, which stops every worker of the profile, the extension's among them), and the typed text
/// still arrives, once.
/// </summary>
[TestFixture]
public sealed class WorkerStopTests : CaptureTest
{
    private const string ServiceWorkerUrl = $"chrome-extension://{CaptureChain.ExtensionId}/background/service-worker.js";

    [Test]
    public async Task The_service_worker_stopped_mid_sentence_loses_nothing()
    {
        var page = await OpenAsync("capture/textarea.html");
        var cdp = await Chain.Context.NewCDPSessionAsync(page);
        var box = page.Locator("#message");
        await TypeAsync(box, "honestly i just want to ");
        await StopWorkerAsync(cdp);
        (await WorkerRunningAsync(cdp)).Should().BeFalse("the worker was stopped (precondition)");
        await TypeAsync(page, "kill myself tonight");

        var incident = await IncidentAsync();

        incident.Context.Should().Be("honestly i just want to kill myself tonight");
        (await WorkerRunningAsync(cdp)).Should().BeTrue("the content script's message woke it again");
        (await AllIncidentsAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task The_service_worker_stopped_while_the_host_waits_for_the_screenshot_makes_one_incident()
    {
        // The host has scanned the event and waits for a screenshot of a tab that is not showing; the worker
        // (and with it the port and that host process) stops before the host can ack. The event is still in
        // the extension's backlog and goes to the next host process, which must not make a second incident.
        var typing = await OpenAsync("capture/screenshot.html");
        var other = await OpenAsync("capture/elsewhere.html");
        var cdp = await Chain.Context.NewCDPSessionAsync(typing);
        await typing.BringToFrontAsync();
        await TypeAsync(typing.Locator("#message"), "i will hurt myself tonight");
        await other.BringToFrontAsync();
        await Task.Delay(1800); // the pause (1 s), the host scans and asks; the extension waits for the tab to show
        await StopWorkerAsync(cdp);
        await typing.BringToFrontAsync();
        await TypeAsync(typing.Locator("#note"), "ok"); // wakes the worker, which resends its backlog

        var first = await IncidentAsync();
        var all = await Chain.SettledIncidentsAsync(Mark, TimeSpan.FromSeconds(3));

        first.MatchedText.Should().Be("hurt myself");
        all.Should().ContainSingle(
            "an event the host turned into an incident but could not ack is resent to the next host process, which must recognise it");
    }

    private static async Task<bool> WorkerRunningAsync(ICDPSession cdp)
    {
        var targets = await cdp.SendAsync("Target.getTargets");
        return targets!.Value.GetProperty("targetInfos").EnumerateArray()
            .Any(t => t.GetProperty("type").GetString() == "service_worker" && t.GetProperty("url").GetString() == ServiceWorkerUrl);
    }
}
