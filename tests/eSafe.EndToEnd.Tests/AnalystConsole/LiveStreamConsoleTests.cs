using System.Collections.Concurrent;
using System.Diagnostics;
using eSafe.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The console's live stream in real Chromium: the page opens <c>/api/v1/live</c> with EventSource and, told of a new
/// incident, refreshes at once. With the stream open the fallback poll runs only every 30 s, so an incident in the queue
/// within 3 s of its upload came by the stream.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LiveStreamConsoleTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task An_uploaded_incident_reaches_the_open_queue_through_the_live_stream_within_3_s()
    {
        using var folder = new TemporaryFolder("esafe-live-console");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.SignInAsync(server.Url, server.Demo.AnalystUsername, server.Demo.AnalystPassword);
        var requests = new ConcurrentQueue<(string Path, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        page.Request += (_, request) => requests.Enqueue((new Uri(request.Url).AbsolutePath, clock.Elapsed));
        await page.ReloadAsync();
        await Expect(page.Locator("#queue")).ToBeVisibleAsync();
        while (!requests.Any(r => r.Path == "/api/v1/live") && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        requests.Should().Contain(r => r.Path == "/api/v1/live", "the console opens the live stream");
        await Task.Delay(1500); // the refresh that the stream's "ready" asks for is over

        using var device = await TestDevice.EnrolAsync(server.Url, server.Demo.EnrolmentCode, "LAB-PC-03");
        var uploadedAt = clock.Elapsed;
        var id = await device.UploadAsync(new PupilText("i am going to hurt myself after school", "hurt myself", "self-harm", 4),
            DateTimeOffset.UtcNow.AddSeconds(-5), null);
        await Expect(page.Locator($"#rows > li[data-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 3_000 });
        requests.Should().Contain(r => r.Path == "/api/v1/queue/counts" && r.At > uploadedAt, "the change made the console refresh");
    }
}
