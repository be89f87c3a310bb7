using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Admin;
using eSafe.Server.Direct;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>What devices download: the versions, the compiled global library and their own school's layer, with ETags.</summary>
public sealed class LibraryDownloadTests
{
    private ServerHarness _server = null!;
    private IAnalystApi _analyst = null!;
    private EnrolmentResponse _device = null!;
    private EnrolmentResponse _otherSchoolDevice = null!;
    private IDeviceApi _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _analyst = await _server.SignedInAsync();
        var (school, code) = await _server.Service<Provisioning>().AddSchoolAsync("Download School", "test", CancellationToken.None);
        _device = await _server.EnrolAsync(code);
        var (_, otherCode) = await _server.Service<Provisioning>().AddSchoolAsync("Other Download School", "test", CancellationToken.None);
        _otherSchoolDevice = await _server.EnrolAsync(otherCode);
        school.Id.Should().Be(_device.SchoolId);
        _api = _server.DeviceApi();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task The_global_library_is_the_servers_compiled_and_unchanged_costs_a_304()
    {
        var global = DefaultLibrary.Load();

        var versions = await _api.GetLibraryVersionsAsync(_device.DeviceToken, CancellationToken.None);
        using var first = await _api.DownloadGlobalLibraryAsync(_device.DeviceToken, null, CancellationToken.None);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        var etag = first.Headers.ETag!.ToString();
        using var again = await _api.DownloadGlobalLibraryAsync(_device.DeviceToken, etag, CancellationToken.None);
        using var stale = await _api.DownloadGlobalLibraryAsync(_device.DeviceToken, "\"g-0000\"", CancellationToken.None);

        (versions.GlobalName, versions.GlobalVersion, versions.SchoolId).Should().Be((global.Name, global.Version, _device.SchoolId));
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        var read = LibraryFormat.Read(bytes);
        (read.Name, read.Version, read.Entries.Count).Should().Be((global.Name, global.Version, global.Entries.Count));
        etag.Should().Be(LibraryETags.OfGlobal(bytes), "the device can make the ETag from the file it holds");
        again.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await again.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        stale.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_device_gets_its_own_schools_layer_compiled_with_the_global_entries_it_switched_off()
    {
        var globalId = DefaultLibrary.Load().Entries[1].Id;
        await _analyst.SaveSchoolEntryAsync(_device.SchoolId, "den-1",
            new SchoolEntry("den-1", "zorblax+ den", ThreatCategories.Bullying, 4, "en-GB", null), CancellationToken.None);
        var layer = await _analyst.DisableGlobalEntryAsync(_device.SchoolId, globalId, CancellationToken.None);
        await _analyst.SaveSchoolEntryAsync(_otherSchoolDevice.SchoolId, "theirs",
            new SchoolEntry("theirs", "other school words", ThreatCategories.Bullying, 2, "en-GB", null), CancellationToken.None);

        var versions = await _api.GetLibraryVersionsAsync(_device.DeviceToken, CancellationToken.None);
        using var response = await _api.DownloadSchoolLayerAsync(_device.DeviceToken, null, CancellationToken.None);
        var package = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(), ContractsJson.Default.SchoolLayerPackage)!;
        using var again = await _api.DownloadSchoolLayerAsync(_device.DeviceToken, response.Headers.ETag!.ToString(), CancellationToken.None);

        versions.SchoolVersion.Should().Be(layer.Version);
        package.SchoolId.Should().Be(_device.SchoolId);
        package.Version.Should().Be(layer.Version);
        package.DisabledGlobalIds.Should().Equal(globalId);
        var compiled = LibraryFormat.Read(package.Library!);
        compiled.Entries.Should().ContainSingle().Which.Id.Should().Be($"{_device.SchoolId}.den-1", "a school's IDs live in its own namespace");
        new ThreatMatcher(compiled).Scan("they went to the zorblaxing den again").Should().ContainSingle();
        response.Headers.ETag!.ToString().Should().Be(LibraryETags.OfSchoolLayer(_device.SchoolId, layer.Version));
        again.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    private static IEnumerable<TestCaseData> MascotTexts()
    {
        // The school's team is the Slashers: "slash+" is a threat unless the team's words are within 3 words of it.
        yield return Text("a threat with no team word near", "i will slash him after school", "slash");
        yield return Text("a threat in other words", "gonna slash your tyres tonight", "slash");
        yield return Text("the team word is the hit", "go slashers go", null);
        yield return Text("a team word just before", "our team slashed them on saturday", null);
        yield return Text("a team word 3 words after", "we slashed the other team", null);
        yield return Text("a team word 4 words after: too far", "we slashed them and then the match ended", "slashed");
        yield return Text("disguised", "i will $l4sh him", "$l4sh");
        // "the den" needs "tonight" or "later" within 4 words.
        yield return Text("with its required word", "meet at the den tonight", "the den");
        yield return Text("without its required word", "we built the den in forest school", null);

        static TestCaseData Text(string name, string text, string? hit) => new TestCaseData(text, hit).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(MascotTexts))]
    public async Task A_school_entrys_context_holds_in_the_compiled_layer_a_device_downloads_and_in_direct_mode(string text, string? hit)
    {
        var (school, code) = await _server.Service<Provisioning>().AddSchoolAsync("Mascot Download School " + Guid.NewGuid().ToString("N")[..8], "test",
            CancellationToken.None);
        var device = await _server.EnrolAsync(code);
        await _analyst.SaveSchoolEntryAsync(school.Id, "mascot-1",
            new SchoolEntry("mascot-1", "slash+", ThreatCategories.Violence, 3, "en-GB", null, "unless 3: slashers|match|team"), CancellationToken.None);
        await _analyst.SaveSchoolEntryAsync(school.Id, "den-1",
            new SchoolEntry("den-1", "the den", ThreatCategories.Grooming, 2, "en-GB", null, "with 4: tonight|later"), CancellationToken.None);

        // As a host does (Libraries/LibrarySet): the downloaded global bytes and school package, scanned together.
        using var global = await _api.DownloadGlobalLibraryAsync(device.DeviceToken, null, CancellationToken.None);
        using var response = await _api.DownloadSchoolLayerAsync(device.DeviceToken, null, CancellationToken.None);
        var package = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(), ContractsJson.Default.SchoolLayerPackage)!;
        var host = new ThreatMatcher([LibraryFormat.Read(await global.Content.ReadAsByteArrayAsync()), LibraryFormat.Read(package.Library!)],
            package.DisabledGlobalIds);
        var direct = (await _server.Service<SchoolMatchers>().ForSchoolAsync(school.Id, CancellationToken.None)).Matcher;

        foreach (var (matcher, name) in new[] { (host, "a host"), (direct, "direct mode") })
        {
            var own = matcher.Scan(text).Where(m => m.Entry.Id.StartsWith(school.Id + ".", StringComparison.Ordinal)).Select(m => m.MatchedText(text));
            own.Should().Equal(hit is null ? [] : [hit], $"{name} scans with the school's compiled layer");
        }
    }

    [Test]
    public async Task A_school_with_no_words_gets_an_empty_layer()
    {
        var (school, code) = await _server.Service<Provisioning>().AddSchoolAsync("Quiet School", "test", CancellationToken.None);
        var device = await _server.EnrolAsync(code);

        using var response = await _api.DownloadSchoolLayerAsync(device.DeviceToken, null, CancellationToken.None);
        var package = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(), ContractsJson.Default.SchoolLayerPackage)!;

        package.Should().BeEquivalentTo(new SchoolLayerPackage(school.Id, 0, null, []));
    }

    [TestCase("")]
    [TestCase("dev-000000000000000000000000.secret")]
    public async Task Without_a_valid_device_token_nothing_is_given(string token)
    {
        using var client = _server.HttpClient();
        foreach (var path in new[] { "/api/v1/devices/libraries", "/api/v1/devices/libraries/global", "/api/v1/devices/libraries/school" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token.Length > 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
        }

        await _api.Invoking(a => a.GetLibraryVersionsAsync("nope", CancellationToken.None)).Should().ThrowAsync<ApiException>();
    }
}
