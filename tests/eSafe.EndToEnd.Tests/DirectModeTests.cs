using System.Diagnostics;
using System.Security.Cryptography;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>
/// A Chromebook's way (direct mode) on real parts: Chromium with the extension configured by managed policy and no
/// native host anywhere, the server as a process on 127.0.0.1. The extension enrols with the policy's code, sends
/// the typed text sealed, the server's pipeline finds the threat and asks for the screenshot, which the extension
/// captures and sends; the analyst sees the incident with it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DirectModeTests
{
    private const string Phrase = "kill myself";

    [Test]
    [CancelAfter(120_000)]
    public async Task A_threat_typed_on_a_device_without_a_host_reaches_the_analyst_with_its_screenshot()
    {
        var clock = Stopwatch.StartNew();
        using var folder = new TemporaryFolder("esafe-e2e-direct");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        var extension = ExtensionCopy.Make(folder.Sub("extension"));
        using var policy = ManagedPolicy.Write(extension.Id, new Dictionary<string, string>
        {
            ["serverUrl"] = server.Url.ToString(),
            ["mode"] = "direct",
            ["enrolmentCode"] = server.Demo.EnrolmentCode,
            ["userIdKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        using var pages = new PageServer();
        var started = DateTimeOffset.UtcNow;

        await using (var browser = await ExtensionBrowser.LaunchAsync(folder.Sub("profile"), new Dictionary<string, string>(),
            extensionDirectory: extension.Directory))
        {
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync(new Uri(pages.Url, "chat.html").ToString());
            await page.Locator("#message").PressSequentiallyAsync($"honestly i just want to {Phrase} tonight", new() { Delay = 20 });

            var analyst = await server.LoginAsAnalystAsync();
            var summary = await WaitForIncidentWithScreenshotAsync(analyst, server.Demo.SchoolId, TimeSpan.FromSeconds(60));
            var incident = await analyst.GetIncidentAsync(summary.Id, CancellationToken.None);
            var screenshot = await (await analyst.GetScreenshotAsync(summary.Id, CancellationToken.None)).ReadAsByteArrayAsync();

            incident.SchoolId.Should().Be(server.Demo.SchoolId);
            incident.HostVersion.Should().Be("direct/0.1.0", "the device enrolled itself in direct mode; no host was installed");
            incident.MachineName.Should().NotBeNullOrWhiteSpace();
            incident.UserId.Should().MatchRegex("^[0-9a-f]{32}$");
            incident.ServerSeenAddress.Should().Be("127.0.0.1");
            incident.OccurredAt.Should().BeAfter(started.AddSeconds(-5)).And.BeBefore(DateTimeOffset.UtcNow.AddSeconds(5));
            incident.Url.Should().Be(new Uri(pages.Url, "chat.html").ToString());
            incident.Source.Should().Be("typed");
            incident.MatchedText.Should().Be(Phrase);
            incident.Category.Should().Be("suicide");
            incident.Severity.Should().Be(5);
            incident.Context.Should().Contain($"want to {Phrase} tonight");
            incident.ExtensionVersion.Should().Be("0.1.0");
            incident.ScreenshotMissingReason.Should().BeNull();
            screenshot.Take(3).Should().Equal(0xFF, 0xD8, 0xFF);
            screenshot.Length.Should().BeGreaterThan(1000);
            (await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = server.Demo.SchoolId }, CancellationToken.None))
                .Items.Should().ContainSingle("one typed phrase is one incident, however many drafts of the field were sent");
        }

        TestContext.Out.WriteLine($"direct mode end-to-end: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<IncidentSummary> WaitForIncidentWithScreenshotAsync(IAnalystApi analyst, string schoolId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var page = await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId }, CancellationToken.None);
            if (page.Items.Count > 0)
            {
                // Give a second incident, if any, the chance to arrive before they are counted.
                await Task.Delay(3000);
                return page.Items[^1];
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no incident reached the server within {timeout.TotalSeconds} s");
        throw new UnreachableException();
    }
}
