using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests.Deployment;

/// <summary>
/// The extension deployed as IT staff deploy it: Chromium started with no unpacked extension, told by machine
/// policy to force-install it from the eSafe server's update manifest, configured by managed policy; the host
/// installed by its own install command; a threat typed, an incident on the server. Chromium installs an
/// off-store CRX only when policy forces it, and only when its signature holds: Chromium is the judge.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ForceInstallTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task Chromium_installs_the_extension_from_the_server_by_policy_and_an_incident_arrives()
    {
        var clock = Stopwatch.StartNew();
        var crx = RepositoryLayout.Require(RepositoryLayout.PackedExtension, "run ./build.sh --target=Package-Extension");
        using var folder = new TemporaryFolder("esafe-force");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60),
            environment: new Dictionary<string, string> { ["Extension__CrxFile"] = crx });

        // The ID as IT staff learn it: from the server's update manifest (it follows from the publisher key).
        var updateUrl = new Uri(server.Url, "/extension/updates.xml");
        var (extensionId, codebase, version) = await ReadUpdateManifestAsync(updateUrl);
        extensionId.Should().MatchRegex("^[a-p]{32}$");
        codebase.Should().Be(new Uri(server.Url, "/extension/esafe.crx"));

        var installed = await HostInstallation.InstallAsync(folder.Sub("profile"), folder.Sub("host-state"), server.Url,
            server.Demo.EnrolmentCode, extensionId);
        installed.Should().Contain("Enrolled");

        using var policy = ManagedPolicy.ForceInstall(extensionId, updateUrl, new JsonObject
        {
            ["serverUrl"] = server.Url.ToString(),
            ["schoolId"] = server.Demo.SchoolId,
            ["mode"] = "native",
        });
        using var pages = new PageServer();
        var (playwright, context, devTools) = await PolicyBrowser.LaunchAsync(folder.Sub("profile"), new Dictionary<string, string>
        {
            [HostInstallation.StateVariable] = folder.Sub("host-state"),
        });
        using (playwright)
        {
            await using var _ = context;
            var status = await PolicyBrowser.WaitForExtensionPageAsync(context, devTools, extensionId, TimeSpan.FromSeconds(60));
            TestContext.Out.WriteLine($"installed by policy after {clock.Elapsed.TotalSeconds:0.0} s");

            var self = await status.EvaluateAsync<string>("async () => { const s = await chrome.management.getSelf(); return s.installType + ' ' + s.version; }");
            self.Should().Be($"admin {version}", "Chromium installed it because policy forced it, not from a folder");
            var managed = await ManagedConfigurationAsync(status, TimeSpan.FromSeconds(15));
            managed.Should().Contain(server.Demo.SchoolId).And.Contain("\"mode\":\"native\"");
            await WaitForReadyHostAsync(status, TimeSpan.FromSeconds(30));

            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(pages.Url, "chat.html").ToString());
            await page.Locator("#message").PressSequentiallyAsync("honestly i just want to kill myself tonight", new() { Delay = 20 });

            var analyst = await server.LoginAsAnalystAsync();
            var incident = await WaitForIncidentAsync(analyst, server.Demo.SchoolId, TimeSpan.FromSeconds(45));
            incident.Category.Should().Be("suicide");
            var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
            detail.ExtensionVersion.Should().Be(version);
            detail.MachineName.Should().Be(Environment.MachineName);
            detail.HasScreenshot.Should().BeTrue(detail.ScreenshotMissingReason);
        }

        TestContext.Out.WriteLine($"force-installed chain: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Test]
    public async Task Without_a_packed_extension_the_update_manifest_says_what_to_do()
    {
        using var folder = new TemporaryFolder("esafe-force");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60),
            environment: new Dictionary<string, string> { ["Extension__CrxFile"] = folder.Sub("missing.crx") });
        using var http = new HttpClient();
        var answer = await http.GetAsync(new Uri(server.Url, "/extension/updates.xml"));
        answer.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("Package-Extension");
    }

    // The first managed read after start can be slow, and the policy may arrive after the extension.
    private static async Task<string> ManagedConfigurationAsync(Microsoft.Playwright.IPage page, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var managed = "{}";
        while (DateTime.UtcNow < deadline && managed == "{}")
        {
            managed = await page.EvaluateAsync<string>("async () => JSON.stringify(await chrome.storage.managed.get(null))");
            await Task.Delay(500);
        }

        return managed;
    }

    private static async Task<(string Id, Uri Codebase, string Version)> ReadUpdateManifestAsync(Uri url)
    {
        using var http = new HttpClient();
        var xml = XDocument.Parse(await http.GetStringAsync(url));
        XNamespace gupdate = "http://www.google.com/update2/response";
        var app = xml.Root!.Element(gupdate + "app")!;
        var check = app.Element(gupdate + "updatecheck")!;
        return ((string)app.Attribute("appid")!, new Uri((string)check.Attribute("codebase")!), (string)check.Attribute("version")!);
    }

    private static async Task WaitForReadyHostAsync(Microsoft.Playwright.IPage status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = await CaptureChain.ConnectionAsync(status);
            if (seen == "ready")
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"the force-installed extension did not reach a ready host within {timeout.TotalSeconds:0} s (last: {seen})");
    }

    private static async Task<IncidentSummary> WaitForIncidentAsync(IAnalystApi analyst, string schoolId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var page = await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId }, CancellationToken.None);
            if (page.Items.Count > 0)
            {
                return page.Items[0];
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no incident reached the server within {timeout.TotalSeconds} s");
        throw new UnreachableException();
    }
}
