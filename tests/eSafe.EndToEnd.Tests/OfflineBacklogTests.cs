using System.Diagnostics;
using System.Text;
using System.Text.Json;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests;

/// <summary>
/// The extension's backlog on real parts: a PC whose host is missing (its manifest taken out of the
/// profile), text typed there kept sealed in IndexedDB, Chromium closed and opened again on the same
/// profile, and the text delivered once the host is back.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OfflineBacklogTests
{
    private const string ExtensionId = CaptureChain.ExtensionId;
    private const string Phrase = "kill myself";
    private const string Typed = "nobody would notice if i went to kill myself this weekend";

    [Test]
    [CancelAfter(240_000)]
    public async Task Text_typed_while_the_host_is_missing_is_kept_sealed_across_a_browser_restart_and_delivered_when_the_host_is_back()
    {
        var clock = Stopwatch.StartNew();
        using var folder = new TemporaryFolder("esafe-offline");
        var profile = folder.Sub("profile");
        var environment = new Dictionary<string, string> { [HostInstallation.StateVariable] = folder.Sub("host-state") };
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        (await HostInstallation.InstallAsync(profile, folder.Sub("host-state"), server.Url, server.Demo.EnrolmentCode)).Should().Contain("Enrolled");
        var manifest = Directory.GetFiles(Path.Combine(profile, "NativeMessagingHosts"), "*.json").Should().ContainSingle().Subject;
        var removed = manifest + ".removed";
        File.Move(manifest, removed); // the host is missing for this browser
        using var pages = new PageServer();
        var analyst = await server.LoginAsAnalystAsync();
        var mark = $"offline-{Guid.NewGuid():N}";

        // 1. No host: auto mode says so, and the typed text waits in the backlog.
        await using (var browser = await ExtensionBrowser.LaunchAsync(profile, environment))
        {
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync(pages.Page("chat.html", mark).ToString());
            await page.Locator("#message").PressSequentiallyAsync(Typed, new() { Delay = 5 });
            await page.Locator("#message").BlurAsync();

            var extension = await OpenExtensionPageAsync(browser);
            var stored = await WaitForAsync(extension, "typed text in the backlog",
                "async () => { const { ['backlog:stats']: s } = await chrome.storage.session.get('backlog:stats'); return (s?.sources?.typed?.count ?? 0) >= 1; }");
            stored.Should().BeTrue(await SessionAsync(extension));
            // The policy's first read after the browser starts takes about 3 s; the choice comes after it.
            (await WaitForAsync(extension, "the host found missing",
                "async () => (await chrome.storage.session.get('transport')).transport?.hostMissing === true")).Should().BeTrue(await SessionAsync(extension));
            var transport = JsonDocument.Parse(await extension.EvaluateAsync<string>(
                "async () => JSON.stringify((await chrome.storage.session.get('transport')).transport)")).RootElement;
            transport.GetProperty("mode").GetString().Should().Be("auto");
            transport.GetProperty("transport").GetString().Should().Be("direct");
            transport.GetProperty("hostMissing").GetBoolean().Should().BeTrue();
            await extension.ReloadAsync();
            (await extension.Locator("#mode").TextContentAsync()).Should().StartWith("auto: direct to the server; host missing since");

            var records = await BacklogRecordsAsync(extension);
            records.KeyType.Should().Be("CryptoKey");
            records.KeyExtractable.Should().BeFalse();
            records.KeyAlgorithm.Should().Be("AES-GCM/256");
            records.Sealed.Should().NotBeEmpty();
            foreach (var bytes in records.Sealed)
            {
                ContainsText(bytes, Phrase).Should().BeFalse("a stored record holds no readable text");
                ContainsText(bytes, mark).Should().BeFalse("nor the page's address");
            }

            records.Opened.Should().Contain(text => text.Contains(Typed, StringComparison.Ordinal),
                "the records are the typed text, sealed with the stored key, which script can use but not read");
        }

        // 2. Closed and opened again, host still missing: nothing lost, nothing readable on disk.
        var files = Directory.GetFiles(Path.Combine(profile, "Default", "IndexedDB"), "*", SearchOption.AllDirectories)
            .Where(f => f.Contains($"chrome-extension_{ExtensionId}", StringComparison.Ordinal)).ToList();
        files.Should().NotBeEmpty("the extension's IndexedDB is on disk");
        var readable = false;
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            ContainsText(bytes, Phrase).Should().BeFalse($"{Path.GetFileName(file)} holds no typed text");
            readable |= ContainsText(bytes, "esafe-backlog");
        }

        readable.Should().BeTrue("the database's own name is readable in its files: text would be seen there");

        await using (var browser = await ExtensionBrowser.LaunchAsync(profile, environment))
        {
            var extension = await OpenExtensionPageAsync(browser);
            var records = await BacklogRecordsAsync(extension);
            records.Opened.Should().Contain(text => text.Contains(Typed, StringComparison.Ordinal), "the backlog survived the browser closing");
            (await WaitForAsync(extension, "the backlog counted again at start",
                "async () => { const { ['backlog:stats']: s } = await chrome.storage.session.get('backlog:stats'); return (s?.sources?.typed?.count ?? 0) >= 1; }"))
                .Should().BeTrue(await SessionAsync(extension));
        }

        (await IncidentsAsync(analyst, server.Demo.SchoolId, mark)).Should().BeEmpty("nothing could be delivered yet");

        // 3. The host is back: the next start delivers the backlog and empties it.
        File.Move(removed, manifest);
        await using (var browser = await ExtensionBrowser.LaunchAsync(profile, environment))
        {
            var deadline = Stopwatch.StartNew();
            IReadOnlyList<IncidentSummary> incidents = [];
            while (deadline.Elapsed < TimeSpan.FromSeconds(60) && incidents.Count == 0)
            {
                await Task.Delay(250);
                incidents = await IncidentsAsync(analyst, server.Demo.SchoolId, mark);
            }

            var extension = await OpenExtensionPageAsync(browser);
            incidents.Should().ContainSingle($"the backlog is delivered once the host is back; the extension's state: {await SessionAsync(extension)}");
            var incident = await analyst.GetIncidentAsync(incidents[0].Id, CancellationToken.None);
            incident.MatchedText.Should().Be(Phrase);
            incident.Source.Should().Be("typed");
            incident.Context.Should().Contain(Typed);
            TestContext.Out.WriteLine($"delivered {deadline.Elapsed.TotalSeconds:0.0} s after the browser started again");

            (await WaitForAsync(extension, "the backlog emptied",
                "async () => { const { ['backlog:stats']: s, transport } = await chrome.storage.session.get(['backlog:stats', 'transport']); return s?.sources?.typed?.count === 0 && s.sources.typed.delivered >= 1 && transport?.hostMissing === false; }"))
                .Should().BeTrue(await SessionAsync(extension));
            (await BacklogRecordsAsync(extension)).Opened.Should().NotContain(text => text.Contains(Typed, StringComparison.Ordinal));
        }

        TestContext.Out.WriteLine($"offline backlog test: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private sealed record BacklogRecords(string KeyType, bool KeyExtractable, string KeyAlgorithm, IReadOnlyList<byte[]> Sealed, IReadOnlyList<string> Opened);

    // Reads the extension's IndexedDB from its own page, as the worker would: the raw records, and each
    // opened with the stored key (which proves the records are the events, sealed).
    private static async Task<BacklogRecords> BacklogRecordsAsync(IPage extension)
    {
        var json = await extension.EvaluateAsync<string>("""
            async () => {
              const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
              const db = await request(indexedDB.open('esafe-backlog'));
              const tx = db.transaction(['events', 'meta']);
              const [seqs, values, key] = await Promise.all([
                request(tx.objectStore('events').getAllKeys()), request(tx.objectStore('events').getAll()), request(tx.objectStore('meta').get('key'))]);
              db.close();
              const base64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
              const opened = [];
              for (let i = 0; i < seqs.length; i++) {
                const plain = await crypto.subtle.decrypt(
                  { name: 'AES-GCM', iv: values[i].iv, additionalData: new TextEncoder().encode(String(seqs[i])) }, key, values[i].sealed);
                opened.push(new TextDecoder().decode(plain));
              }
              return JSON.stringify({
                keyType: key?.constructor?.name ?? null,
                keyExtractable: key?.extractable ?? null,
                keyAlgorithm: key ? `${key.algorithm.name}/${key.algorithm.length}` : null,
                sealed: values.map((v) => base64(v.sealed)),
                opened,
              });
            }
            """);
        var root = JsonDocument.Parse(json).RootElement;
        return new BacklogRecords(
            root.GetProperty("keyType").GetString() ?? "none",
            root.GetProperty("keyExtractable").GetBoolean(),
            root.GetProperty("keyAlgorithm").GetString() ?? "none",
            [.. root.GetProperty("sealed").EnumerateArray().Select(s => Convert.FromBase64String(s.GetString()!))],
            [.. root.GetProperty("opened").EnumerateArray().Select(s => s.GetString()!)]);
    }

    // UTF-8 and UTF-16 either way round (Chromium's IndexedDB keeps strings in more than one form).
    private static bool ContainsText(byte[] bytes, string text) =>
        new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode }.Any(encoding => bytes.AsSpan().IndexOf(encoding.GetBytes(text)) >= 0);

    private static async Task<IPage> OpenExtensionPageAsync(ExtensionBrowser browser)
    {
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync($"chrome-extension://{ExtensionId}/status.html");
        return page;
    }

    private static async Task<bool> WaitForAsync(IPage extension, string what, string condition)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await extension.EvaluateAsync<bool>(condition))
            {
                TestContext.Out.WriteLine($"{what}: after {deadline.Elapsed.TotalSeconds:0.0} s");
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static Task<string> SessionAsync(IPage extension) =>
        extension.EvaluateAsync<string>("async () => JSON.stringify(await chrome.storage.session.get(null))");

    private static async Task<IReadOnlyList<IncidentSummary>> IncidentsAsync(IAnalystApi analyst, string schoolId, string mark)
    {
        var page = await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId, Limit = 200 }, CancellationToken.None);
        return [.. page.Items.Where(i => i.Url.Contains(mark, StringComparison.Ordinal))];
    }
}
