using System.Diagnostics;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>
/// The whole chain on real parts: Debian's Chromium with the unpacked extension, the published Native AOT
/// host (registered in the profile by its own install command), the server as a process on 127.0.0.1.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WholeChainTests
{
    private const string Phrase = "kill myself";
    private const string TimeZone = "Asia/Kolkata";
    private const int TimeZoneOffsetMinutes = 330;

    [Test]
    [CancelAfter(120_000)]
    public async Task A_threat_typed_in_a_textarea_reaches_the_analyst_with_every_field_and_a_screenshot()
    {
        var clock = Stopwatch.StartNew();
        using var folder = new TemporaryFolder("esafe-e2e");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        var installed = await HostInstallation.InstallAsync(folder.Sub("profile"), folder.Sub("host-state"), server.Url, server.Demo.EnrolmentCode);
        installed.Should().Contain("Enrolled");
        using var pages = new PageServer();
        var started = DateTimeOffset.UtcNow;

        await using (var browser = await ExtensionBrowser.LaunchAsync(folder.Sub("profile"), new Dictionary<string, string>
        {
            [HostInstallation.StateVariable] = folder.Sub("host-state"),
            ["TZ"] = TimeZone,
        }))
        {
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync(new Uri(pages.Url, "chat.html").ToString());
            await page.Locator("#password").PressSequentiallyAsync("kill myself secretly");
            await page.Locator("#message").PressSequentiallyAsync($"honestly i just want to {Phrase} tonight", new() { Delay = 20 });

            var analyst = await server.LoginAsAnalystAsync();
            var summary = await WaitForIncidentAsync(analyst, server.Demo.SchoolId, TimeSpan.FromSeconds(45));
            var incident = await analyst.GetIncidentAsync(summary.Id, CancellationToken.None);
            var screenshot = await (await analyst.GetScreenshotAsync(summary.Id, CancellationToken.None)).ReadAsByteArrayAsync();

            var saved = Path.Combine(TestContext.CurrentContext.WorkDirectory, "whole-chain-screenshot.jpg");
            await File.WriteAllBytesAsync(saved, screenshot);
            TestContext.AddTestAttachment(saved, "the screenshot as the analyst receives it");

            ExpectEveryField(incident, server.Demo.SchoolId, new Uri(pages.Url, "chat.html"), started);
            ExpectJpeg(screenshot, minWidth: 200, minHeight: 200);
            (await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = server.Demo.SchoolId }, CancellationToken.None))
                .Items.Should().ContainSingle("the password field's text is never captured, and one typed phrase is one incident");
        }

        TestContext.Out.WriteLine($"end-to-end: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static void ExpectEveryField(IncidentDetail incident, string schoolId, Uri pageUrl, DateTimeOffset started)
    {
        incident.Id.Should().HaveLength(26);
        incident.SchoolId.Should().Be(schoolId);
        incident.DeviceId.Should().NotBeNullOrWhiteSpace();
        incident.UserId.Should().MatchRegex("^[0-9a-f]{32}$");
        incident.MachineName.Should().Be(Environment.MachineName);
        incident.DeviceAddresses.Should().NotBeEmpty();
        incident.ServerSeenAddress.Should().Be("127.0.0.1");
        incident.OccurredAt.Should().BeAfter(started.AddSeconds(-5)).And.BeBefore(DateTimeOffset.UtcNow.AddSeconds(5));
        incident.OccurredAt.Offset.Should().Be(TimeSpan.Zero);
        incident.LocalOffsetMinutes.Should().Be(TimeZoneOffsetMinutes);
        incident.Url.Should().Be(pageUrl.ToString());
        incident.PageTitle.Should().Be("Class chat");
        incident.Source.Should().Be("typed");
        incident.RuleId.Should().NotBeNullOrWhiteSpace();
        incident.Phrase.Should().Contain("kill").And.Contain("myself", "the default library's entry for these words");
        incident.MatchedText.Should().Be(Phrase);
        incident.Category.Should().Be("suicide");
        incident.Severity.Should().Be(5);
        incident.Context.Should().Contain($"want to {Phrase} tonight");
        incident.HasScreenshot.Should().BeTrue(incident.ScreenshotMissingReason);
        incident.Status.Should().Be(IncidentStatuses.New);
        incident.HostVersion.Should().MatchRegex(@"^\d+\.\d+\.\d+");
        incident.LibraryVersion.Should().NotBeNullOrWhiteSpace();
        incident.ExtensionVersion.Should().Be("0.1.0");
    }

    private static async Task<IncidentSummary> WaitForIncidentAsync(IAnalystApi analyst, string schoolId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var page = await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId }, CancellationToken.None);
            if (page.Items.Count > 0)
            {
                // Give a second upload, if any, the chance to arrive before it is counted.
                await Task.Delay(2000);
                return page.Items[^1];
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no incident reached the server within {timeout.TotalSeconds} s");
        throw new UnreachableException();
    }

    // A JPEG starts FF D8 and names its size in a start-of-frame marker (FF C0..C3).
    private static void ExpectJpeg(byte[] image, int minWidth, int minHeight)
    {
        image.Take(3).Should().Equal(0xFF, 0xD8, 0xFF);
        for (var i = 2; i + 9 < image.Length;)
        {
            if (image[i] != 0xFF)
            {
                Assert.Fail("the screenshot's JPEG structure is broken");
            }

            var marker = image[i + 1];
            var length = (image[i + 2] << 8) | image[i + 3];
            if (marker is >= 0xC0 and <= 0xC3)
            {
                var height = (image[i + 5] << 8) | image[i + 6];
                var width = (image[i + 7] << 8) | image[i + 8];
                width.Should().BeGreaterThanOrEqualTo(minWidth);
                height.Should().BeGreaterThanOrEqualTo(minHeight);
                return;
            }

            i += 2 + length;
        }

        Assert.Fail("the screenshot has no start-of-frame marker");
    }
}
