using System.Security.Cryptography;
using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Delivery;

/// <summary>Which key the host takes from the server's library-versions answer, and that a new one is kept for the next start.</summary>
public sealed class ServerKeyUpdatesTests
{
    private TemporaryFolder _state = null!;
    private TestEnrolment _enrolment = null!;
    private HostPaths _paths = null!;

    [SetUp]
    public void SetUp()
    {
        _state = new TemporaryFolder();
        _enrolment = new TestEnrolment();
        _paths = new HostPaths(_state.Path, _state.Sub("machine"));
        StateFiles.Write(_paths.EnrolmentFile, _enrolment.State, HostJson.Default.EnrolmentState);
    }

    [TearDown]
    public void TearDown()
    {
        _enrolment.Dispose();
        _state.Dispose();
    }

    private static byte[] NewKey(ECCurve curve)
    {
        using var key = ECDiffieHellman.Create(curve);
        return key.ExportSubjectPublicKeyInfo();
    }

    private static readonly object[] Refused =
    [
        new object[] { "the same ID with other bytes", "k1", NewKey(ECCurve.NamedCurves.nistP256), "different bytes" },
        new object[] { "an ID with a space", "k 2", NewKey(ECCurve.NamedCurves.nistP256), "key ID" },
        new object[] { "an empty ID", "", NewKey(ECCurve.NamedCurves.nistP256), "key ID" },
        new object[] { "an ID of 33 characters", new string('k', 33), NewKey(ECCurve.NamedCurves.nistP256), "key ID" },
        new object[] { "a P-384 key", "k2", NewKey(ECCurve.NamedCurves.nistP384), "not a P-256" },
        new object[] { "bytes that are no key", "k2", RandomNumberGenerator.GetBytes(91), "not a P-256" },
        new object[] { "no bytes", "k2", Array.Empty<byte>(), "no public key" },
    ];

    [TestCaseSource(nameof(Refused))]
    public void A_key_that_cannot_be_trusted_is_refused_and_logged_and_the_held_key_stays(string what, string keyId, byte[] publicKey, string logged)
    {
        var updates = new ServerKeyUpdates(_paths, _enrolment.State, new HostLog(_paths.LogFile));

        updates.Offer(new ServerSealingKey(keyId, publicKey)).Should().BeFalse(what);

        updates.Current.KeyId.Should().Be("k1");
        updates.Current.PublicKey.Should().Equal(_enrolment.State.ServerPublicKey);
        File.ReadAllText(_paths.LogFile).Should().Contain(logged);
        StateFiles.Read(_paths.EnrolmentFile, HostJson.Default.EnrolmentState)!.ServerKeyId.Should().Be("k1");
    }

    [Test]
    public void The_same_key_again_or_none_changes_nothing()
    {
        var updates = new ServerKeyUpdates(_paths, _enrolment.State, new HostLog(_paths.LogFile));

        updates.Offer(null).Should().BeFalse();
        updates.Offer(new ServerSealingKey("k1", [.. _enrolment.State.ServerPublicKey])).Should().BeFalse();

        File.Exists(_paths.LogFile).Should().BeFalse("nothing worth a line happened");
    }

    [Test]
    public void A_new_key_is_sealed_to_from_then_on_and_kept_for_the_next_start()
    {
        using var rotated = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var updates = new ServerKeyUpdates(_paths, _enrolment.State, new HostLog(_paths.LogFile));

        updates.Offer(new ServerSealingKey("k2", rotated.ExportSubjectPublicKeyInfo())).Should().BeTrue();

        var sealedNow = IncidentSealer.Seal("{}"u8, IncidentId.New(DateTimeOffset.UtcNow), updates.Current);
        sealedNow.KeyId.Should().Be("k2");
        IncidentSealer.Open(sealedNow, rotated).Should().Equal("{}"u8.ToArray());
        var saved = StateFiles.Read(_paths.EnrolmentFile, HostJson.Default.EnrolmentState)!;
        (saved.ServerKeyId, saved.DeviceId, saved.DeviceToken).Should().Be(("k2", _enrolment.State.DeviceId, _enrolment.State.DeviceToken));
        saved.ServerPublicKey.Should().Equal(rotated.ExportSubjectPublicKeyInfo());
        File.ReadAllText(_paths.LogFile).Should().Contain("sealing key is now k2 (was k1)");
    }
}
