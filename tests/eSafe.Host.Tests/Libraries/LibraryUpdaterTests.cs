using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Host.Delivery;
using eSafe.Host.Libraries;
using eSafe.Host.Tests.Support;
using eSafe.Server.Storage;

namespace eSafe.Host.Tests.Libraries;

/// <summary>The host's library updater against the real server on loopback, through the host's own generated client.</summary>
public sealed class LibraryUpdaterTests
{
    private const string ServerGlobalVersion = "2099.1.1";
    private InProcessServer _server = null!;
    private DeviceApiClient _client = null!;
    private EnrolmentResponse _device = null!;
    private TemporaryFolder _state = null!;
    private string _log = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The server's global library is newer than the one built into the host, so the host takes it.
        var global = CompiledLibrary.Compile(new ThreatLibrary("default", ServerGlobalVersion, TestLibrary.Create().Entries));
        _server = await InProcessServer.StartAsync(global);
        _client = new DeviceApiClient(_server.Url);
        _device = await _client.Api.EnrolAsync(new EnrolmentRequest(_server.Demo.EnrolmentCode, "LAB-PC-01", "0.1.0"), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _state = new TemporaryFolder();
        _log = _state.Sub("host.log");
    }

    [TearDown]
    public void TearDown() => _state.Dispose();

    [Test]
    public async Task It_takes_the_newer_global_library_and_the_schools_words_and_the_matcher_finds_them()
    {
        await AddSchoolWordAsync("zorb-1", "zorblax+ den");
        var (updater, matcher, cache) = Updater();
        matcher.Scan("they are in the zorblaxing den").Should().BeEmpty("the built-in library has no such word");
        var before = matcher.Current;

        var updated = await updater.TryUpdateAsync(CancellationToken.None);

        updated.Should().BeTrue();
        matcher.Libraries.Global.Version.Should().Be(ServerGlobalVersion);
        matcher.Libraries.GlobalFromServer.Should().BeTrue();
        var hit = matcher.Scan("they are in the zorblaxing den").Should().ContainSingle().Subject;
        hit.Entry.Id.Should().Be($"{_device.SchoolId}.zorb-1");
        matcher.Scan("nobody likes you").Should().ContainSingle("the server's global library is in use").Which.Entry.Id.Should().Be("st-bul-001");
        matcher.LibraryVersion.Should().StartWith($"default-{ServerGlobalVersion}+school-{_device.SchoolId}-");
        before.Scan("they are in the zorblaxing den").Should().BeEmpty("a scan keeps the matcher it started with");
        before.LibraryVersion.Should().NotBe(matcher.LibraryVersion);
        File.Exists(cache.GlobalFile).Should().BeTrue();
        File.Exists(cache.SchoolFile).Should().BeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(cache.SchoolFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Test]
    public async Task A_global_entry_switched_off_for_the_school_stops_hitting()
    {
        var layers = _server.Service<ISchoolLibraryStore>();
        await layers.SetGlobalEntryOffAsync(_device.SchoolId, "st-gam-001", off: true, DateTimeOffset.UtcNow, CancellationToken.None);
        var (updater, matcher, _) = Updater();

        await updater.TryUpdateAsync(CancellationToken.None);

        matcher.Scan("an online casino").Should().BeEmpty();
        matcher.Scan("bet365").Should().ContainSingle("only the one entry is off");
        await layers.SetGlobalEntryOffAsync(_device.SchoolId, "st-gam-001", off: false, DateTimeOffset.UtcNow, CancellationToken.None);
        await updater.TryUpdateAsync(CancellationToken.None);
        matcher.Scan("an online casino").Should().ContainSingle("switched on again, the next round brings it back");
    }

    [Test]
    public async Task Nothing_changed_means_no_swap()
    {
        var (updater, matcher, _) = Updater();
        await updater.TryUpdateAsync(CancellationToken.None);
        var before = matcher.Libraries;

        await updater.TryUpdateAsync(CancellationToken.None);

        matcher.Libraries.Should().BeSameAs(before);
    }

    [Test]
    public async Task The_next_start_without_the_network_uses_what_was_downloaded()
    {
        await AddSchoolWordAsync("zorb-2", "quibblesnatch");
        var (updater, _, _) = Updater();
        await updater.TryUpdateAsync(CancellationToken.None);

        var restarted = new LiveMatcher(new LibraryCache(_state.Path, new HostLog(_log)).Load(_device.SchoolId));
        using var offline = new DeviceApiClient(new Uri("http://127.0.0.1:9/"));
        var cache = new LibraryCache(_state.Path, new HostLog(_log));
        var failed = await new LibraryUpdater(offline.Api, _device.DeviceToken, _device.SchoolId, cache, restarted, new HostLog(_log))
            .TryUpdateAsync(CancellationToken.None);

        failed.Should().BeFalse();
        restarted.Scan("a quibblesnatch").Should().ContainSingle();
        restarted.Libraries.Global.Version.Should().Be(ServerGlobalVersion);
        File.ReadAllText(_log).Should().Contain("libraries not updated");
    }

    [Test]
    public async Task Another_schools_cached_layer_is_not_used()
    {
        await AddSchoolWordAsync("zorb-3", "flumpdoodle");
        var (updater, _, _) = Updater();
        await updater.TryUpdateAsync(CancellationToken.None);

        var elsewhere = new LibraryCache(_state.Path, new HostLog(_log)).Load("sch-someotherschool0");

        elsewhere.School.Should().BeNull();
    }

    [Test]
    public async Task A_wrong_device_token_changes_nothing()
    {
        var matcher = new LiveMatcher(LibrarySet.BuiltIn());
        var before = matcher.Libraries;
        var updater = new LibraryUpdater(_client.Api, _device.DeviceId + ".wrong", _device.SchoolId,
            new LibraryCache(_state.Path, new HostLog(_log)), matcher, new HostLog(_log));

        (await updater.TryUpdateAsync(CancellationToken.None)).Should().BeFalse();

        matcher.Libraries.Should().BeSameAs(before);
        Directory.EnumerateFiles(_state.Path, "*.eslib", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Test]
    public async Task A_refused_connection_as_the_host_stops_ends_the_run_quietly()
    {
        using var stop = new CancellationTokenSource();
        var api = new FakeDeviceApi
        {
            LibraryVersions = async () =>
            {
                await stop.CancelAsync();
                throw new HttpRequestException("Connection refused (127.0.0.1:9)");
            },
        };
        var log = new HostLog(_log);
        var cache = new LibraryCache(_state.Path, log);
        var updater = new LibraryUpdater(api, "dev-x.token", _device.SchoolId, cache, new LiveMatcher(cache.Load(_device.SchoolId)), log);

        var run = () => updater.RunAsync(stop.Token);

        await run.Should().NotThrowAsync();
        File.ReadAllText(_log).Should().Contain("libraries not updated");
    }

    private (LibraryUpdater Updater, LiveMatcher Matcher, LibraryCache Cache) Updater()
    {
        var log = new HostLog(_log);
        var cache = new LibraryCache(_state.Path, log);
        var matcher = new LiveMatcher(cache.Load(_device.SchoolId));
        return (new LibraryUpdater(_client.Api, _device.DeviceToken, _device.SchoolId, cache, matcher, log), matcher, cache);
    }

    private Task<int> AddSchoolWordAsync(string id, string phrase) =>
        _server.Service<ISchoolLibraryStore>().SaveEntryAsync(_device.SchoolId, new ThreatEntry(id, phrase, ThreatCategories.Bullying, 3),
            DateTimeOffset.UtcNow, CancellationToken.None);
}
