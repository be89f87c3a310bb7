using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Host.Libraries;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Libraries;

/// <summary>What the host starts with: the built-in global library unless a newer one is cached, and its school's cached layer.</summary>
public sealed class LibraryCacheTests
{
    private TemporaryFolder _state = null!;
    private string _log = null!;

    [SetUp]
    public void SetUp()
    {
        _state = new TemporaryFolder();
        _log = _state.Sub("host.log");
    }

    [TearDown]
    public void TearDown() => _state.Dispose();

    [TestCase("2099.1.1", true)]
    [TestCase("{built-in}.1", true)]
    [TestCase("{built-in}", false)]
    [TestCase("2020.1.1", false)]
    public void A_cached_global_library_is_used_only_when_newer_than_the_built_in_one(string version, bool used)
    {
        version = version.Replace("{built-in}", DefaultLibrary.Load().Version, StringComparison.Ordinal);
        var cache = Cache();
        cache.WriteGlobal(LibraryFormat.Write(CompiledLibrary.Compile(new ThreatLibrary("default", version, TestLibrary.Create().Entries))));

        var set = cache.Load(null);

        set.GlobalFromServer.Should().Be(used);
        set.Global.Version.Should().Be(used ? version : DefaultLibrary.Load().Version);
    }

    [Test]
    public void A_damaged_cached_global_library_is_logged_and_the_built_in_one_used()
    {
        var cache = Cache();
        var bytes = LibraryFormat.Write(CompiledLibrary.Compile(new ThreatLibrary("default", "2099.1.1", TestLibrary.Create().Entries)));
        bytes[bytes.Length / 2] ^= 0xFF;
        cache.WriteGlobal(bytes);

        var set = cache.Load(null);

        set.GlobalFromServer.Should().BeFalse();
        File.ReadAllText(_log).Should().Contain("the cached global library cannot be used");
    }

    [TestCase("not json at all")]
    [TestCase("""{"schoolId":"sch-a","version":3,"library":"AAAA","disabledGlobalIds":[]}""")]
    public void A_damaged_cached_school_layer_is_logged_and_left_out(string json)
    {
        var cache = Cache();
        Directory.CreateDirectory(_state.Path);
        File.WriteAllText(cache.SchoolFile, json);

        var set = cache.Load("sch-a");

        set.School.Should().BeNull();
        File.ReadAllText(_log).Should().Contain("the cached school layer cannot be used");
    }

    [Test]
    public void Nothing_cached_is_the_built_in_library_alone()
    {
        var set = Cache().Load("sch-a");

        set.Should().BeEquivalentTo(new { GlobalFromServer = false, School = (SchoolLayer?)null });
        set.Describe().Should().Be($"global default {DefaultLibrary.Load().Version} (built in), no school layer yet");
    }

    [Test]
    public void A_package_for_another_school_is_refused()
    {
        var act = () => SchoolLayer.From(new SchoolLayerPackage("sch-b", 1, null, []), "sch-a");

        act.Should().Throw<InvalidDataException>().WithMessage("*not this device's school's*");
    }

    [TestCase("2026.11.28", "2026.11.28", 0)]
    [TestCase("2026.11.29", "2026.11.28", 1)]
    [TestCase("2026.12.1", "2026.11.28", 1)]
    [TestCase("2026.11.28", "2026.11.28.1", -1)]
    [TestCase("2027.1.1", "2026.12.31", 1)]
    [TestCase("2026.11.28-b", "2026.11.28-a", 1)]
    public void Versions_are_ordered_part_by_part(string left, string right, int order) =>
        LibraryVersionOrder.Compare(left, right).Should().Be(order);

    private LibraryCache Cache() => new(_state.Path, new HostLog(_log));
}
