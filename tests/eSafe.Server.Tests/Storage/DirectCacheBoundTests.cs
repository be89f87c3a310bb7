using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Direct;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// What a server keeps in memory to carry many Chromebooks (a device's record, a school's matcher) stays correct with two
/// servers on one PostgreSQL database: a device revoked on one is refused by the other within
/// <see cref="AuthenticatedDevices.RevocationBound"/>, and a school's new words apply on the other within
/// <see cref="SchoolMatchers.LayerBound"/>, although the other had both in memory before the change.
/// </summary>
public sealed class DirectCacheBoundTests
{
    // What a loaded 2-core machine may add to the bound: a request or two in flight, a slow round trip.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);
    private static readonly string UserId = PseudonymousId.Compute(TestIncidents.SchoolKey, "pupil@school.example");
    private string _keysA = null!;
    private string _keysB = null!;
    private ServerHarness _a = null!;
    private ServerHarness _b = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        _keysA = ServerHarness.NewDataDirectory();
        _keysB = ServerHarness.NewDataDirectory();
        _a = await ServerHarness.StartAsync(keysDirectory: _keysA, configure: o => o with { Database = database });
        // The second machine's copy of the keys folder: the same sealing key.
        foreach (var file in Directory.GetFiles(_keysA))
        {
            File.Copy(file, Path.Combine(_keysB, Path.GetFileName(file)));
        }

        _b = await ServerHarness.StartAsync(demo: false, keysDirectory: _keysB, configure: o => o with { Database = database });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        Directory.Delete(_keysA, recursive: true);
        Directory.Delete(_keysB, recursive: true);
    }

    [Test]
    public async Task A_device_revoked_on_one_server_is_refused_by_the_other_within_the_bound()
    {
        var device = await _a.EnrolAsync(machineName: "CHROMEBOOK-LOST");
        var neighbour = await _a.EnrolAsync(machineName: "CHROMEBOOK-KEPT");
        (await StatusAsync(_b, device, "see you at lunch")).Should().Be(HttpStatusCode.OK, "the other server now has the device in memory");
        (await StatusAsync(_b, neighbour, "see you at lunch")).Should().Be(HttpStatusCode.OK);

        var analyst = await _a.SignedInAsync();
        await analyst.RevokeDeviceAsync(device.DeviceId, new RevokeDeviceRequest("lost on the bus"), CancellationToken.None);
        var revoked = Stopwatch.StartNew();

        (await StatusAsync(_a, device, "see you at lunch")).Should().Be(HttpStatusCode.Unauthorized, "the server that revoked it refuses it at once");
        var refusedAfter = await UntilAsync(async () => await StatusAsync(_b, device, "see you at lunch") == HttpStatusCode.Unauthorized,
            AuthenticatedDevices.RevocationBound + Slack);
        refusedAfter.Should().NotBeNull($"a revocation must reach every server within {AuthenticatedDevices.RevocationBound.TotalSeconds:0} s");
        revoked.Elapsed.Should().BeLessThan(AuthenticatedDevices.RevocationBound + Slack);
        (await StatusAsync(_b, neighbour, "see you at lunch")).Should().Be(HttpStatusCode.OK, "its neighbour carries on");
        (await StatusAsync(_b, device, "see you at lunch")).Should().Be(HttpStatusCode.Unauthorized, "and stays refused");
    }

    [Test]
    public async Task A_schools_new_words_saved_on_one_server_are_matched_by_the_other_within_the_bound()
    {
        const string words = "the purple lanyard swap";
        var device = await _a.EnrolAsync(machineName: "CHROMEBOOK-WORDS");
        (await SendAsync(_b, device, $"meet me for {words} later")).Screenshots.Should().BeEmpty("the school has no such words yet");

        var analyst = await _a.SignedInAsync();
        await analyst.SaveSchoolEntryAsync(device.SchoolId, "lanyard-1", new SchoolEntry("lanyard-1", words, ThreatCategories.Bullying, 3, "en-GB", null),
            CancellationToken.None);
        var saved = Stopwatch.StartNew();

        var matchedAfter = await UntilAsync(async () => (await SendAsync(_b, device, $"meet me for {words} later")).Screenshots.Count == 1,
            SchoolMatchers.LayerBound + Slack);
        matchedAfter.Should().NotBeNull($"a school's words must apply on every server within {SchoolMatchers.LayerBound.TotalSeconds:0} s");
        saved.Elapsed.Should().BeLessThan(SchoolMatchers.LayerBound + Slack);
    }

    // Asks again every 200 ms until the condition holds; how long it took, or null when it never did within the limit.
    private static async Task<TimeSpan?> UntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(200);
        }

        return null;
    }

    private static async Task<DirectBatchReply> SendAsync(ServerHarness server, EnrolmentResponse device, string text)
    {
        using var response = await PostAsync(server, device, text);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ContractsJson.Default.DirectBatchReply))!;
    }

    private static async Task<HttpStatusCode> StatusAsync(ServerHarness server, EnrolmentResponse device, string text)
    {
        using var response = await PostAsync(server, device, text);
        return response.StatusCode;
    }

    // A new field each time, so the repeat filter never hides a hit.
    private static async Task<HttpResponseMessage> PostAsync(ServerHarness server, EnrolmentResponse device, string text)
    {
        var textEvent = new TextEvent(Guid.NewGuid().ToString("N"), 7, "field-" + Guid.NewGuid().ToString("N"), TextSources.Typed,
            "https://chat.example.org/room", "Class chat", text, DateTimeOffset.UtcNow.AddSeconds(-1), 60);
        var batch = new DirectBatch(UserId, "0.1.0", [textEvent], ["10.0.0.7"]);
        var envelope = IncidentSealer.Seal(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.DirectBatch),
            IncidentId.New(DateTimeOffset.UtcNow), device.ServerKey);
        using var http = server.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/direct/batches")
        {
            Content = JsonContent.Create(envelope, ContractsJson.Default.SealedIncident),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        return await http.SendAsync(request);
    }
}
