using System.Security.Cryptography;
using System.Text;
using eSafe.Host.Session;
using eSafe.Host.Tests.Support;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Tests.Session;

/// <summary>The repeat filter's file: what one host process saves, the next one reads; damage reads as empty.</summary>
public sealed class RepeatStateFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);
    private TemporaryFolder _folder = null!;
    private string _path = null!;
    private string _keyPath = null!;
    private string _log = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TemporaryFolder();
        _path = _folder.Sub("repeats.bin");
        _keyPath = _folder.Sub("repeats.key");
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void What_one_process_saves_the_next_reads()
    {
        var seen = new Dictionary<UInt128, DateTimeOffset>
        {
            [Filter().Hash("12|message-box|st-sui-001")] = Now,
            [UInt128.MaxValue] = Now.AddMinutes(-3),
        };

        Store().Save(seen);
        var read = Store().LoadIfChanged();

        read.Should().BeEquivalentTo(seen);
    }

    [Test]
    public void It_is_read_again_only_when_the_file_changed()
    {
        var store = Store();
        store.Save(new Dictionary<UInt128, DateTimeOffset> { [1] = Now });

        store.LoadIfChanged().Should().BeNull("it wrote the file itself");
        Store().Save(new Dictionary<UInt128, DateTimeOffset> { [1] = Now, [2] = Now });
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddSeconds(5));
        store.LoadIfChanged().Should().HaveCount(2, "another process changed it");
        store.LoadIfChanged().Should().BeNull();
    }

    [Test]
    public void A_save_keeps_what_another_process_saved_since_this_one_last_read()
    {
        var first = Store();
        var second = Store();
        first.LoadIfChanged().Should().BeNull();
        second.LoadIfChanged().Should().BeNull();

        first.Save(new Dictionary<UInt128, DateTimeOffset> { [1] = Now, [3] = Now.AddMinutes(-5) });
        second.Save(new Dictionary<UInt128, DateTimeOffset> { [2] = Now, [3] = Now });

        Store().LoadIfChanged().Should().BeEquivalentTo(new Dictionary<UInt128, DateTimeOffset> { [1] = Now, [2] = Now, [3] = Now },
            "merged, the newer time of a hit both saw winning");
        second.LoadIfChanged().Should().HaveCount(3, "what the merge took in from the other process is read back");
        first.LoadIfChanged().Should().HaveCount(3);
        File.Exists(_path + ".lock").Should().BeTrue();
        Directory.EnumerateFiles(_folder.Path, "*.tmp").Should().BeEmpty();
    }

    [Test]
    public void Many_savers_at_once_lose_nothing()
    {
        _log = _folder.Sub("host.log");
        const int savers = 4;
        const int each = 25;
        Parallel.For(0, savers, new ParallelOptions { MaxDegreeOfParallelism = savers }, saver =>
        {
            var store = Store(_log);
            var mine = new Dictionary<UInt128, DateTimeOffset>();
            for (var n = 0; n < each; n++)
            {
                mine[(UInt128)((saver * 1000) + n)] = Now;
                store.Save(mine);
            }
        });

        Store().LoadIfChanged().Should().HaveCount(savers * each);
        File.Exists(_log).Should().BeFalse("every save took the lock: nothing was logged");
    }

    [Test]
    public void It_keeps_no_words_only_hashes_and_only_its_owner_may_read_it()
    {
        const string key = "12|https://chat.example.org/|honestly i want to kill myself|st-sui-001";
        Store().Save(new Dictionary<UInt128, DateTimeOffset> { [Filter().Hash(key)] = Now });

        var bytes = File.ReadAllBytes(_path);
        System.Text.Encoding.UTF8.GetString(bytes).Should().NotContain("kill").And.NotContain("chat.example");
        bytes.Length.Should().Be(12 + 24 + 32);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.GetFiles(_folder.Path, "*.tmp").Should().BeEmpty("it is written to a temporary file and renamed");
    }

    [Test]
    public void It_is_bounded_to_the_newest_entries()
    {
        var seen = Enumerable.Range(0, RepeatStateFile.MaxEntries + 100)
            .ToDictionary(i => (UInt128)(uint)i, i => Now.AddMilliseconds(i));

        Store().Save(seen);
        var read = Store().LoadIfChanged()!;

        read.Should().HaveCount(RepeatStateFile.MaxEntries);
        read.Keys.Min().Should().Be((UInt128)100u, "the oldest are dropped");
    }

    private static IEnumerable<TestCaseData> Damage()
    {
        yield return new TestCaseData((Func<byte[], byte[]>)(b => [])).SetArgDisplayNames("empty");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b[..^1])).SetArgDisplayNames("cut short");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Flip(b, 20))).SetArgDisplayNames("a changed byte");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Flip(b, 0))).SetArgDisplayNames("not its format");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Flip(b, 4))).SetArgDisplayNames("another version");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => "{\"seen\":[]}"u8.ToArray())).SetArgDisplayNames("JSON");

        static byte[] Flip(byte[] bytes, int at)
        {
            var copy = bytes.ToArray();
            copy[at] ^= 0x5A;
            return copy;
        }
    }

    [TestCaseSource(nameof(Damage))]
    public void A_damaged_file_reads_as_nothing_and_is_logged(Func<byte[], byte[]> spoil)
    {
        Store().Save(new Dictionary<UInt128, DateTimeOffset> { [7] = Now });
        File.WriteAllBytes(_path, spoil(File.ReadAllBytes(_path)));
        var logFile = _folder.Sub("host.log");

        var read = Store(logFile).LoadIfChanged();

        read.Should().BeNull();
        File.ReadAllText(logFile).Should().Contain("repeats.bin cannot be used");
    }

    [Test]
    public void A_missing_file_is_nothing_to_read()
    {
        Store().LoadIfChanged().Should().BeNull();
    }

    [Test]
    public void A_filter_with_the_store_knows_another_filters_keys_within_the_window_only()
    {
        var clock = new MovableClock(Now);
        var first = new RepeatFilter(clock, TimeSpan.FromMinutes(10), store: Store());
        first.IsNew("a").Should().BeTrue();
        first.Persist();

        var second = new RepeatFilter(clock, TimeSpan.FromMinutes(10), store: Store());
        second.Refresh();
        second.IsNew("a").Should().BeFalse("the first filter's process stored it");
        second.IsNew("b").Should().BeTrue();

        clock.Now = Now.AddMinutes(11);
        var third = new RepeatFilter(clock, TimeSpan.FromMinutes(10), store: Store());
        third.Refresh();
        third.IsNew("a").Should().BeTrue("the window has passed");
    }

    [Test]
    public void The_hashes_are_keyed_with_the_installs_secret_not_plain_SHA_256()
    {
        const string key = "12|message-box|st-sui-001";
        var filter = Filter();
        filter.IsNew(key).Should().BeTrue();
        filter.Persist();

        var bytes = File.ReadAllBytes(_path);
        var secret = File.ReadAllBytes(_keyPath);
        secret.Should().HaveCount(32);
        Contains(bytes, SHA256.HashData(Encoding.UTF8.GetBytes(key))[..16]).Should().BeFalse("a short key could be found by guessing");
        Contains(bytes, HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(key))[..16]).Should().BeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_keyPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.GetFiles(_folder.Path, "*.tmp").Should().BeEmpty();
    }

    [Test]
    public void Every_process_of_the_install_uses_the_same_secret_even_when_they_start_together()
    {
        var secrets = Enumerable.Range(0, 8).AsParallel().Select(_ => Store().HashKey.ToArray()).ToList();

        secrets.Should().AllSatisfy(s => s.Should().Equal(File.ReadAllBytes(_keyPath)));
        Filter().Hash("a").Should().Be(Filter().Hash("a"));
    }

    [Test]
    public void Without_a_store_each_filter_has_its_own_secret()
    {
        var clock = new MovableClock(Now);

        new RepeatFilter(clock, TimeSpan.FromMinutes(10)).Hash("a").Should().NotBe(new RepeatFilter(clock, TimeSpan.FromMinutes(10)).Hash("a"));
    }

    [TestCase(null, TestName = "A lost secret means a new one and an empty filter, logged")]
    [TestCase(new byte[] { 1, 2, 3 }, TestName = "A damaged secret means a new one and an empty filter, logged")]
    public void A_lost_or_damaged_secret_means_a_new_one_and_an_empty_filter(byte[]? damaged)
    {
        var clock = new MovableClock(Now);
        var first = Filter(clock);
        first.IsNew("a").Should().BeTrue();
        first.Persist();
        var old = File.ReadAllBytes(_keyPath);
        if (damaged is null)
        {
            File.Delete(_keyPath);
        }
        else
        {
            File.WriteAllBytes(_keyPath, damaged);
        }

        var logFile = _folder.Sub("host.log");
        var second = new RepeatFilter(clock, TimeSpan.FromMinutes(10), store: Store(logFile));
        second.Refresh();

        second.IsNew("a").Should().BeTrue("what was stored under the old secret cannot be checked");
        File.ReadAllBytes(_keyPath).Should().HaveCount(32).And.NotEqual(old);
        File.ReadAllText(logFile).Should().Contain("repeats.bin cannot be used");
        second.Persist();
        var third = Filter(clock);
        third.Refresh();
        third.IsNew("a").Should().BeFalse("the new secret is kept for the next process");
    }

    private RepeatStateFile Store(string? logFile = null) => new(_path, _keyPath, new HostLog(logFile));

    private RepeatFilter Filter(TimeProvider? clock = null) =>
        new(clock ?? new MovableClock(Now), TimeSpan.FromMinutes(10), store: Store());

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
