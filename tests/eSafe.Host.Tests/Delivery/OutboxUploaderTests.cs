using System.Net;
using eSafe.Contracts.Http;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Delivery;

public sealed class OutboxUploaderTests
{
    private const string Token = "device-token";
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);
    private TemporaryFolder _folder = null!;
    private FileOutbox _outbox = null!;
    private FakeDeviceApi _api = null!;
    private List<string> _ids = null!;

    [SetUp]
    public async Task SetUp()
    {
        _folder = new TemporaryFolder();
        _outbox = new FileOutbox(_folder.Sub("outbox"));
        _api = new FakeDeviceApi();
        _ids = [];
        for (var i = 0; i < 3; i++)
        {
            var incident = Envelopes.At(Start.AddSeconds(i));
            await _outbox.AddAsync(incident, CancellationToken.None);
            _ids.Add(incident.IncidentId);
        }
    }

    [TearDown]
    public void TearDown()
    {
        _outbox.Dispose();
        _folder.Dispose();
    }

    [Test]
    public async Task Delivered_incidents_are_removed_oldest_first_with_the_device_token()
    {
        var emptied = await Uploader().DeliverPendingAsync(CancellationToken.None);

        emptied.Should().BeTrue();
        _api.Uploads.Should().Equal(_ids.Select(id => (id, Token)));
        _outbox.Pending().Should().BeEmpty();
        Directory.Exists(_outbox.RejectedDirectory).Should().BeFalse();
    }

    [Test]
    public async Task An_incident_the_server_had_already_is_removed()
    {
        _api.Otherwise = i => Task.FromResult(new IngestReceipt(i.IncidentId, Duplicate: true));

        (await Uploader().DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();

        _outbox.Pending().Should().BeEmpty();
    }

    [Test]
    public async Task A_server_that_cannot_be_reached_through_the_real_client_leaves_everything_for_later()
    {
        // Refit wraps a refused connection in ApiRequestException (not an HttpRequestException).
        using var client = new DeviceApiClient(new Uri("http://127.0.0.1:9/"));

        var emptied = await new OutboxUploader(_outbox, client.Api, Token, new HostLog(null)).DeliverPendingAsync(CancellationToken.None);

        emptied.Should().BeFalse();
        _outbox.Pending().Should().Equal(_ids);
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.Conflict)]
    [TestCase(HttpStatusCode.RequestEntityTooLarge)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    public async Task An_incident_the_server_will_never_take_moves_to_rejected_and_the_queue_goes_on(HttpStatusCode status)
    {
        _api.Answer(_ids[1], _ => FakeDeviceApi.Refuse(status));

        var emptied = await Uploader().DeliverPendingAsync(CancellationToken.None);

        emptied.Should().BeTrue();
        _api.Uploads.Select(u => u.IncidentId).Should().Equal(_ids);
        _outbox.Pending().Should().BeEmpty();
        Directory.GetFiles(_outbox.RejectedDirectory, "*.json").Select(Path.GetFileName).Should().Equal(_ids[1] + ".json");
        (await Uploader().DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();
        _api.Uploads.Should().HaveCount(3, "a rejected incident is not sent again");
    }

    [TestCase("")]
    [TestCase("{")]
    [TestCase("null")]
    [TestCase("{}")]
    public async Task A_damaged_file_is_set_aside_and_everything_else_is_delivered(string content)
    {
        var damaged = IncidentId.New(Start.AddSeconds(1).AddMilliseconds(500));
        await File.WriteAllTextAsync(Path.Combine(_folder.Sub("outbox"), damaged + ".json"), content);

        var emptied = await Uploader().DeliverPendingAsync(CancellationToken.None);

        emptied.Should().BeTrue();
        _api.Uploads.Select(u => u.IncidentId).Should().Equal(_ids);
        _outbox.Pending().Should().BeEmpty();
        FileOutbox.SetAside(_outbox.DamagedDirectory).Select(d => d.Id).Should().Equal(damaged);
    }

    private static IEnumerable<TestCaseData> RefusalsThatMayPass()
    {
        yield return new TestCaseData(HttpStatusCode.BadRequest,
            """{"title":"The incident is not valid; nothing was stored.","errors":{"incident":["occurredAt is before 2020 or in the future"]}}""")
            .SetArgDisplayNames("a device clock more than 10 minutes fast");
        yield return new TestCaseData(HttpStatusCode.NotFound, """{"title":"not found"}""").SetArgDisplayNames("404");
        yield return new TestCaseData(HttpStatusCode.Gone, """{"title":"gone"}""").SetArgDisplayNames("410");
    }

    [TestCaseSource(nameof(RefusalsThatMayPass))]
    public async Task A_refusal_that_may_pass_keeps_the_incident_delivers_the_rest_and_tries_it_again_later(HttpStatusCode status, string body)
    {
        var clock = new MovableClock(Start);
        var refusing = true;
        _api.Answer(_ids[1], i => refusing ? FakeDeviceApi.Refuse(status, body) : Task.FromResult(new IngestReceipt(i.IncidentId, false)));
        var uploader = new OutboxUploader(_outbox, _api, Token, new HostLog(null), clock);

        (await uploader.DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();
        _outbox.Pending().Should().Equal(_ids[1]);
        Directory.Exists(_outbox.RejectedDirectory).Should().BeFalse("it may pass later, so it is never rejected");
        await uploader.DeliverPendingAsync(CancellationToken.None);
        _api.Uploads.Should().HaveCount(3, "it is not tried again before its back-off");

        clock.Advance(TimeSpan.FromSeconds(2));
        refusing = false;
        await uploader.DeliverPendingAsync(CancellationToken.None);

        _outbox.Pending().Should().BeEmpty();
        _api.Uploads.Select(u => u.IncidentId).Should().Equal([.. _ids, _ids[1]]);
    }

    [Test]
    public async Task A_final_refusal_keeps_the_servers_reason_for_status()
    {
        _api.Answer(_ids[0], _ => FakeDeviceApi.Refuse(HttpStatusCode.BadRequest, """{"title":"category 'x' is not known"}"""));

        await Uploader().DeliverPendingAsync(CancellationToken.None);

        FileOutbox.SetAside(_outbox.RejectedDirectory).Should().ContainSingle()
            .Which.Reason.Should().Contain("400").And.Contain("category 'x' is not known");
    }

    private static IEnumerable<TestCaseData> PassingTroubles()
    {
        yield return new TestCaseData(new Func<Task<IngestReceipt>>(() => throw new HttpRequestException("connection refused")))
            .SetArgDisplayNames("no network");
        yield return new TestCaseData(new Func<Task<IngestReceipt>>(() => throw new TaskCanceledException("timed out")))
            .SetArgDisplayNames("a timeout");
        foreach (var status in new[] { HttpStatusCode.Unauthorized, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway,
                     HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests })
        {
            yield return new TestCaseData(new Func<Task<IngestReceipt>>(() => FakeDeviceApi.Refuse(status)))
                .SetArgDisplayNames($"{(int)status}");
        }
    }

    [TestCaseSource(nameof(PassingTroubles))]
    public async Task A_trouble_that_may_pass_keeps_everything_and_stops_the_pass(Func<Task<IngestReceipt>> trouble)
    {
        _api.Answer(_ids[1], _ => trouble());

        var emptied = await Uploader().DeliverPendingAsync(CancellationToken.None);

        emptied.Should().BeFalse();
        _api.Uploads.Select(u => u.IncidentId).Should().Equal(_ids[0], _ids[1]);
        _outbox.Pending().Should().Equal(_ids[1], _ids[2]);
        Directory.Exists(_outbox.RejectedDirectory).Should().BeFalse();
    }

    [Test]
    public async Task The_next_pass_delivers_what_the_last_one_could_not()
    {
        var down = true;
        _api.Otherwise = i => down
            ? throw new HttpRequestException("connection refused")
            : Task.FromResult(new IngestReceipt(i.IncidentId, false));
        var uploader = Uploader();

        (await uploader.DeliverPendingAsync(CancellationToken.None)).Should().BeFalse();
        down = false;
        (await uploader.DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();

        _outbox.Pending().Should().BeEmpty();
        _api.Uploads.Select(u => u.IncidentId).Should().Equal([_ids[0], .. _ids]);
    }

    [Test]
    public async Task Stopping_in_the_middle_of_an_upload_keeps_the_incident()
    {
        using var stop = new CancellationTokenSource();
        _api.Answer(_ids[0], async _ =>
        {
            await stop.CancelAsync();
            throw new TaskCanceledException("stopped");
        });

        var deliver = () => Uploader().DeliverPendingAsync(stop.Token);

        await deliver.Should().ThrowAsync<OperationCanceledException>();
        _outbox.Pending().Should().Equal(_ids);
    }

    [Test]
    public async Task A_refused_connection_as_the_host_stops_ends_the_run_quietly_and_keeps_everything()
    {
        // The host closing while an upload is refused (a clean CI run crashed so): the refusal is not our cancellation.
        using var stop = new CancellationTokenSource();
        _api.Otherwise = async _ =>
        {
            await stop.CancelAsync();
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
        };

        var run = () => Uploader().RunAsync(stop.Token);

        await run.Should().NotThrowAsync();
        _outbox.Pending().Should().Equal(_ids);
    }

    [Test]
    public async Task Running_delivers_what_waits_and_what_comes_later_then_stops_when_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var uploader = Uploader();

        var running = uploader.RunAsync(stop.Token);
        await WaitUntilAsync(() => _outbox.Pending().Count == 0);
        var later = Envelopes.At(Start.AddMinutes(1));
        await _outbox.AddAsync(later, CancellationToken.None);
        await WaitUntilAsync(() => _outbox.Pending().Count == 0);
        await stop.CancelAsync();

        await running.WaitAsync(ExtensionSide.Patience);
        _api.Uploads.Select(u => u.IncidentId).Should().Equal([.. _ids, later.IncidentId]);
    }

    private OutboxUploader Uploader() => new(_outbox, _api, Token, new HostLog(null));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + ExtensionSide.Patience;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the uploader should have done it by now");
            await Task.Delay(10);
        }
    }
}
