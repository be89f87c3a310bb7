using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Ingest;
using eSafe.Server.Security;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Ingest;

/// <summary>
/// Sealing sessions (docs/PROTOCOL.md §2b): envelopes under one ephemeral key open from the server's cache of keys, and the
/// cache never opens what the ECDH would not have; it stays within its bounds of entries and lifetime.
/// </summary>
public sealed class EnvelopeKeyCacheTests
{
    private string _keys = null!;
    private SealingKeyRing _ring = null!;
    private SettableClock _clock = null!;

    [SetUp]
    public void CreateKeys()
    {
        _keys = Directory.CreateTempSubdirectory("esafe-key-cache-").FullName;
        SealingKeyRing.Load(_keys, mayCreate: true);
        SealingKeyRing.Rotate(_keys);
        _ring = SealingKeyRing.Load(_keys, mayCreate: false);
        _clock = new SettableClock(DateTimeOffset.UtcNow);
    }

    [TearDown]
    public void RemoveKeys() => Directory.Delete(_keys, recursive: true);

    [Test]
    public void Envelopes_of_one_session_open_and_the_key_is_kept_after_the_first()
    {
        var content = new SealedContent(_ring, _clock);
        using var session = new SealingSession(_ring.Current, _clock);
        var envelopes = Enumerable.Range(0, 5).Select(i => session.Seal(Batch($"message {i}"), NewId())).ToList();

        envelopes.Select(e => e.EphemeralPublicKey).Should().AllSatisfy(k => k.Should().Equal(envelopes[0].EphemeralPublicKey));
        content.OpenedKeys.TryGet(_ring.Current.KeyId, envelopes[0].EphemeralPublicKey, new byte[32]).Should().BeFalse("nothing is opened yet");
        envelopes.Select(e => Open(content, e)).Should().Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"));
        content.OpenedKeys.Count.Should().Be(1);
        content.OpenedKeys.TryGet(_ring.Current.KeyId, envelopes[0].EphemeralPublicKey, new byte[32]).Should().BeTrue();
    }

    public static IEnumerable<TestCaseData> Tamperings()
    {
        yield return new TestCaseData((Func<SealedIncident, SealedIncident>)(e => e with { Ciphertext = Flip(e.Ciphertext, 3) })).SetArgDisplayNames("ciphertext");
        yield return new TestCaseData((Func<SealedIncident, SealedIncident>)(e => e with { Ciphertext = Flip(e.Ciphertext, e.Ciphertext.Length - 1) })).SetArgDisplayNames("tag");
        yield return new TestCaseData((Func<SealedIncident, SealedIncident>)(e => e with { Nonce = Flip(e.Nonce, 0) })).SetArgDisplayNames("nonce");
        yield return new TestCaseData((Func<SealedIncident, SealedIncident>)(e => e with { IncidentId = IncidentId.New(DateTimeOffset.UtcNow) })).SetArgDisplayNames("incident ID");
    }

    [TestCaseSource(nameof(Tamperings))]
    public void A_changed_envelope_of_a_cached_session_is_still_refused(Func<SealedIncident, SealedIncident> change)
    {
        var content = new SealedContent(_ring, _clock);
        using var session = new SealingSession(_ring.Current, _clock);
        Open(content, session.Seal(Batch("first"), NewId())).Should().Be("first");

        var (value, problem) = content.Open(change(session.Seal(Batch("second"), NewId())), ContractsJson.Default.DirectBatch, "batch");

        value.Should().BeNull();
        problem.Should().Be("The batch cannot be opened: it was not sealed to this server's key, or it was changed on the way.");
    }

    [Test]
    public void An_envelope_that_does_not_open_leaves_no_key_behind()
    {
        var content = new SealedContent(_ring, _clock);
        using var session = new SealingSession(_ring.Current, _clock);
        var changed = session.Seal(Batch("first"), NewId());
        changed = changed with { Ciphertext = Flip(changed.Ciphertext, 0) };

        content.Open(changed, ContractsJson.Default.DirectBatch, "batch").Problem.Should().NotBeNull();

        content.OpenedKeys.Count.Should().Be(0);
    }

    [Test]
    public void Another_key_id_is_never_served_from_the_cache()
    {
        var content = new SealedContent(_ring, _clock);
        var older = _ring.KeyIds.Single(k => k != _ring.Current.KeyId);
        using var session = new SealingSession(_ring.Current, _clock);
        var envelope = session.Seal(Batch("to the current key"), NewId());
        Open(content, envelope).Should().Be("to the current key");

        // The same ephemeral key and ciphertext named as sealed to the other key on file, and to a key not on file.
        content.Open(envelope with { KeyId = older }, ContractsJson.Default.DirectBatch, "batch").Problem
            .Should().Be("The batch cannot be opened: it was not sealed to this server's key, or it was changed on the way.");
        content.Open(envelope with { KeyId = "k9" }, ContractsJson.Default.DirectBatch, "batch").Problem
            .Should().StartWith("The batch cannot be opened: it is sealed to a key this server does not have");
        content.OpenedKeys.TryGet(older, envelope.EphemeralPublicKey, new byte[32]).Should().BeFalse();
        content.OpenedKeys.Count.Should().Be(1);

        // A session sealed to the older key opens under its own entry.
        using var olderSession = new SealingSession(new ServerSealingKey(older, PublicKeyOf(older)), _clock);
        Open(content, olderSession.Seal(Batch("to the older key"), NewId())).Should().Be("to the older key");
        content.OpenedKeys.Count.Should().Be(2);
    }

    [Test]
    public void A_one_use_envelope_still_opens()
    {
        var content = new SealedContent(_ring, _clock);
        Open(content, IncidentSealer.Seal(Batch("one use"), NewId(), _ring.Current)).Should().Be("one use");
        Open(content, IncidentSealer.Seal(Batch("another"), NewId(), _ring.Current)).Should().Be("another");
    }

    [Test]
    public void A_sealing_session_takes_a_new_key_pair_after_4096_envelopes_and_after_10_minutes()
    {
        using var session = new SealingSession(_ring.Current, _clock);
        var keys = Enumerable.Range(0, SealingSession.MaxEnvelopes + 1).Select(_ => session.Seal([1], NewId()).EphemeralPublicKey).ToList();
        keys.Take(SealingSession.MaxEnvelopes).Select(Convert.ToBase64String).Distinct().Should().ContainSingle();
        keys[^1].Should().NotEqual(keys[0]);

        _clock.Advance(SealingSession.MaxAge - TimeSpan.FromSeconds(1));
        session.Seal([2], NewId()).EphemeralPublicKey.Should().Equal(keys[^1]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = session.Seal(Batch("after ten minutes"), NewId());
        renewed.EphemeralPublicKey.Should().NotEqual(keys[^1]);
        Open(new SealedContent(_ring, _clock), renewed).Should().Be("after ten minutes");
        SealingSession.MaxEnvelopes.Should().Be(4096);
        SealingSession.MaxAge.Should().Be(TimeSpan.FromMinutes(10));
    }

    [Test]
    public void The_cache_holds_at_most_its_capacity_and_sessions_in_use_stay_while_one_use_keys_fall_out()
    {
        var cache = new EnvelopeKeyCache(_clock, capacity: 8);
        var session = Key(1000);
        cache.Add("k1", session, Key(1));
        for (var i = 0; i < 100; i++)
        {
            cache.Add("k1", Key(i), Key(2));
            cache.Count.Should().BeLessThanOrEqualTo(8);
            cache.TryGet("k1", session, new byte[32]).Should().BeTrue($"the session's key is in use (after {i + 1} one-use keys)");
        }

        cache.TryGet("k1", Key(0), new byte[32]).Should().BeFalse("the first one-use key fell out long ago");
    }

    [Test]
    public void A_key_is_never_served_after_its_lifetime_even_in_use()
    {
        var cache = new EnvelopeKeyCache(_clock, capacity: 8, lifetime: TimeSpan.FromMinutes(15));
        cache.Add("k1", Key(7), Key(1));
        var copy = new byte[32];
        for (var minute = 0; minute < 15; minute++)
        {
            cache.TryGet("k1", Key(7), copy).Should().BeTrue($"at minute {minute}");
            copy.Should().Equal(Key(1));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        cache.TryGet("k1", Key(7), copy).Should().BeFalse();
        cache.Count.Should().Be(0);
    }

    [Test]
    public void Keys_unused_for_the_lifetime_leave_memory_with_the_next_call()
    {
        var cache = new EnvelopeKeyCache(_clock, capacity: 8, lifetime: TimeSpan.FromMinutes(15));
        cache.Add("k1", Key(1), Key(1));
        cache.Add("k1", Key(2), Key(2));
        _clock.Advance(TimeSpan.FromMinutes(16));

        cache.TryGet("k1", Key(3), new byte[32]).Should().BeFalse();

        cache.Count.Should().Be(0);
    }

    [Test]
    public void A_retired_key_id_drops_its_keys_and_only_those()
    {
        var cache = new EnvelopeKeyCache(_clock, capacity: 8);
        cache.Add("k1", Key(1), Key(1));
        cache.Add("k2", Key(1), Key(2));

        cache.Forget("k1");

        cache.TryGet("k1", Key(1), new byte[32]).Should().BeFalse();
        var kept = new byte[32];
        cache.TryGet("k2", Key(1), kept).Should().BeTrue();
        kept.Should().Equal(Key(2));
    }

    [Test]
    public void A_lookup_needs_the_exact_bytes()
    {
        var cache = new EnvelopeKeyCache(_clock, capacity: 8);
        var name = Key(1);
        cache.Add("k1", name, Key(1));
        name[0] ^= 1; // the caller's array changed after it was added: the cache kept its own copy

        cache.TryGet("k1", Key(1), new byte[32]).Should().BeTrue();
        cache.TryGet("k1", name, new byte[32]).Should().BeFalse();
        cache.TryGet("k1", Key(1)[..31], new byte[32]).Should().BeFalse();
    }

    private static byte[] Batch(string text) => JsonSerializer.SerializeToUtf8Bytes(
        new DirectBatch(new string('a', PseudonymousId.Length), "0.1.0",
            [new TextEvent("e1", 1, "f1", TextSources.Typed, "https://chat.example.org/", "Chat", text, DateTimeOffset.UtcNow, 0)]),
        ContractsJson.Default.DirectBatch);

    private static string Open(SealedContent content, SealedIncident envelope)
    {
        var (batch, problem) = content.Open(envelope, ContractsJson.Default.DirectBatch, "batch");
        problem.Should().BeNull();
        return batch!.Events.Single()!.Text;
    }

    private string NewId() => IncidentId.New(_clock.GetUtcNow());

    private byte[] PublicKeyOf(string keyId)
    {
        using var key = ECDiffieHellman.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(_keys, $"sealing-{keyId}.pem")));
        return key.ExportSubjectPublicKeyInfo();
    }

    // 32 bytes that differ with n: both an ephemeral key's name and a key for these tests.
    private static byte[] Key(int n) => SHA256.HashData(Encoding.UTF8.GetBytes($"key {n}"));

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }
}
