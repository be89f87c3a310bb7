using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using Refit;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The Devices view's fleet health in real Chromium against the server as a process: a healthy native device's mode,
/// versions, libraries and backlog; a device running without its host and a silent one flagged, and the device alerts above
/// every view, one of which the analyst acknowledges there.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FleetConsoleTests
{
    // Every hour is school time and 0.008 hours (29 s) of silence is too long, so the flags do not wait for a school day.
    private static readonly Dictionary<string, string> FastFleet = new()
    {
        ["Fleet__SchoolDays"] = "Sun,Mon,Tue,Wed,Thu,Fri,Sat",
        ["Fleet__SchoolDayStart"] = "00:00",
        ["Fleet__SchoolDayEnd"] = "23:59",
        ["Fleet__TimeZone"] = "Etc/UTC",
        ["Fleet__SilentAfterHours"] = "0.008",
        ["Fleet__CheckSeconds"] = "1",
    };

    [Test]
    [CancelAfter(150_000)]
    public async Task The_devices_view_shows_each_devices_health_and_flags_silent_and_hostless_devices()
    {
        using var folder = new TemporaryFolder("esafe-fleet-console");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60), environment: FastFleet);
        using var http = new HttpClient { BaseAddress = server.Url };
        var devices = RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings());
        var silent = await devices.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-SILENT", "0.1.0"), CancellationToken.None);
        var analyst = await server.LoginAsAnalystAsync();
        for (var i = 0; i < 90 && !(await analyst.GetFleetAlertsAsync(CancellationToken.None)).Any(a => a.DeviceId == silent.DeviceId); i++)
        {
            await Task.Delay(500);
        }

        var healthy = await devices.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-HEALTHY", "0.1.0"), CancellationToken.None);
        var hostless = await devices.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-HOSTLESS", "0.1.0"), CancellationToken.None);
        await devices.SendHeartbeatAsync(new HeartbeatRequest(DeviceModes.Native, "0.3.1", "0.2.9", "2026.11.1", 4, 7, false), healthy.DeviceToken,
            CancellationToken.None);
        await devices.SendHeartbeatAsync(new HeartbeatRequest(DeviceModes.Direct, "0.3.1", null, null, null, 12, true), hostless.DeviceToken,
            CancellationToken.None);

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.SignInAsync(server.Url, server.Demo.AnalystUsername, server.Demo.AnalystPassword);
        await Expect(page.Locator("#fleet-banner")).ToContainTextAsync("LAB-PC-SILENT silent in school time");
        await Expect(page.Locator("#fleet-banner")).ToContainTextAsync("LAB-PC-HOSTLESS running without its host");

        // An analyst takes the hostless alert on: it leaves the banner, counted as acknowledged, and the server has it.
        await page.Locator("#fleet-banner .fleet-line", new() { HasText = "LAB-PC-HOSTLESS" }).GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })
            .ClickAsync();
        await Expect(page.Locator("#fleet-banner")).ToContainTextAsync("1 acknowledged");
        await Expect(page.Locator("#fleet-banner")).Not.ToContainTextAsync("LAB-PC-HOSTLESS");
        await Expect(page.Locator("#fleet-banner")).ToContainTextAsync("LAB-PC-SILENT silent in school time");
        (await analyst.GetFleetAlertsAsync(CancellationToken.None)).Single(a => a.DeviceId == hostless.DeviceId).Acknowledgement!.By
            .Should().Be(server.Demo.AnalystUsername);
        await page.GetByRole(AriaRole.Link, new() { Name = "Open Devices" }).First.ClickAsync();
        await Expect(page.Locator("#devices-rows tr")).ToHaveCountAsync(3);

        var healthyRow = page.Locator($"#devices-rows tr[data-id='{healthy.DeviceId}']");
        await Expect(healthyRow.Locator(".fleet-mode")).ToHaveTextAsync("native");
        await Expect(healthyRow.Locator(".fleet-versions")).ToHaveTextAsync("extension 0.3.1 · host 0.2.9");
        await Expect(healthyRow.Locator(".fleet-libraries")).ToHaveTextAsync("global 2026.11.1 · school v4");
        await Expect(healthyRow.Locator(".fleet-backlog")).ToHaveTextAsync("7");
        await Expect(healthyRow.Locator(".fleet-seen")).ToContainTextAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(healthyRow.Locator(".fleet-flags")).ToHaveTextAsync("");

        var hostlessRow = page.Locator($"#devices-rows tr[data-id='{hostless.DeviceId}']");
        await Expect(hostlessRow.Locator(".fleet-mode")).ToHaveTextAsync("direct");
        await Expect(hostlessRow.Locator(".fleet-backlog")).ToHaveTextAsync("12");
        await Expect(hostlessRow.Locator(".flag-host-missing")).ToHaveTextAsync("running without its host (tampering?)");
        await Expect(hostlessRow.Locator(".fleet-ack")).ToContainTextAsync($"acknowledged by {server.Demo.AnalystUsername}");

        var silentRow = page.Locator($"#devices-rows tr[data-id='{silent.DeviceId}']");
        await Expect(silentRow.Locator(".fleet-seen")).ToHaveTextAsync("never");
        await Expect(silentRow.Locator(".flag-silent")).ToHaveTextAsync("silent in school time");
        await Expect(silentRow.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToBeVisibleAsync();
        await Expect(page.Locator("#devices-rules")).ToContainTextAsync("0.008 hours of school time (Sun,Mon,Tue,Wed,Thu,Fri,Sat 00:00–23:59 Etc/UTC)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "fleet.png"), FullPage = true });
    }
}
