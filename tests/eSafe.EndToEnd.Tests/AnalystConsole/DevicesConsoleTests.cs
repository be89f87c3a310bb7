using System.Net;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using Refit;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>The console's "Devices" view in real Chromium against the server as a process: a school's devices listed, one revoked, and the server then refusing it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DevicesConsoleTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task An_analyst_sees_a_schools_devices_revokes_one_with_a_reason_and_the_server_refuses_it_from_then_on()
    {
        using var folder = new TemporaryFolder("esafe-devices-console");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.Url };
        var devices = RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings());
        var kept = await devices.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-01", "0.1.0"), CancellationToken.None);
        var lost = await devices.EnrolAsync(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-02", "0.1.0"), CancellationToken.None);

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.SignInAsync(server.Url, server.Demo.AnalystUsername, server.Demo.AnalystPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(page.Locator("#devices-school select")).ToHaveValueAsync(server.Demo.SchoolId);
        var lostRow = page.Locator($"#devices-rows tr[data-id='{lost.DeviceId}']");
        await Expect(page.Locator("#devices-rows tr")).ToHaveCountAsync(2);
        await Expect(lostRow).ToContainTextAsync("LAB-PC-02");
        await Expect(lostRow).ToContainTextAsync("active");

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync("left on the bus");
        await lostRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(lostRow).ToContainTextAsync($"by {server.Demo.AnalystUsername}: left on the bus");
        await Expect(page.Locator($"#devices-rows tr[data-id='{kept.DeviceId}']")).ToContainTextAsync("active");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "devices.png"), FullPage = true });

        var refused = await FluentActions.Awaiting(() => devices.GetLibraryVersionsAsync(lost.DeviceToken, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await devices.GetLibraryVersionsAsync(kept.DeviceToken, CancellationToken.None)).SchoolId.Should().Be(server.Demo.SchoolId);
    }
}
