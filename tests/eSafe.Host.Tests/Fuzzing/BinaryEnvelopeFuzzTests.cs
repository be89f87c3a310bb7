using System.Security.Cryptography;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Fuzzing;

/// <summary>
/// The server's opener of version 2 envelopes (<see cref="BinaryEnvelope.Parse"/>, the opening in place, then
/// <see cref="IncidentPlaintext.Read"/>) on spoilt bodies and on spoilt plaintexts sealed properly: every one is refused with
/// a problem value or a <see cref="CryptographicException"/>, never another exception, and any that opens holds exactly
/// what was sealed.
/// </summary>
public sealed class BinaryEnvelopeFuzzTests
{
    // The header's length fields (docs/PROTOCOL.md §2): where a length mutation does most harm.
    private static readonly int[] LengthFields = [6, 7, 8, 10, 12];
    private static ECDiffieHellman _serverKey = null!;
    private static ServerSealingKey _publicKey = null!;
    private static Incident _incident = null!;
    private static byte[] _plaintext = null!;

    [OneTimeSetUp]
    public static void SealOne()
    {
        // A fixed key would have to be committed; the corpus is replayed against this run's key instead.
        _serverKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _publicKey = new ServerSealingKey("k1", _serverKey.ExportSubjectPublicKeyInfo());
        var at = DateTimeOffset.UtcNow;
        _incident = new Incident
        {
            Id = IncidentId.New(at), SchoolId = "school-1", DeviceId = "dev-1", UserId = new string('a', 32), MachineName = "LAB-PC-07",
            DeviceAddresses = ["10.0.0.7"], OccurredAt = at, LocalOffsetMinutes = 0, Url = "https://example.org/", Source = "typed",
            RuleId = "sh-0001", Phrase = "hurt myself", MatchedText = "hurt myself", Category = "self-harm", Severity = 4,
            Context = "i want to hurt myself", Screenshot = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 0xFF, 0xD9], HostVersion = "0.1.0",
            LibraryVersion = "2026.11.1",
        };
        _plaintext = IncidentPlaintext.Write(_incident);
    }

    [OneTimeTearDown]
    public static void Dispose() => _serverKey.Dispose();

    private static IEnumerable<string> Saved() => FuzzSettings.Corpus("binary-envelopes");

    [TestCaseSource(nameof(Saved))]
    public async Task A_saved_body_is_refused_with_an_error_value(string file) => Open(await File.ReadAllBytesAsync(file));

    [Test]
    public void Seeded_mutations_of_a_valid_body_or_its_plaintext_are_refused_or_open_unchanged()
    {
        var mutator = new Mutator(FuzzSettings.Seed + 3);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = Seal(_plaintext);
        Open(valid).Should().Be("opened", "the unspoilt body opens");
        for (var i = 0; i < FuzzSettings.Iterations(1000); i++)
        {
            var input = mutator.Next(3) switch
            {
                0 => mutator.Bytes(valid),
                // The mutator writes a length little-endian over 4 bytes: a telling value in the big-endian fields, and their neighbours spoilt too.
                1 => mutator.Length(valid, LengthFields),
                _ => Seal(mutator.Next(2) == 0 ? mutator.Bytes(_plaintext) : mutator.Length(_plaintext, [0, _plaintext.Length - 14])),
            };
            var outcome = Open(input);
            FuzzSettings.Keep("binary-envelopes", outcome, input, seen, "bin");
        }
    }

    private static byte[] Seal(byte[] plaintext) =>
        BinaryEnvelope.Encode(IncidentSealer.Seal(plaintext, _incident.Id, _publicKey, IncidentSealer.BinaryVersion));

    private static string Open(byte[] body)
    {
        var envelope = BinaryEnvelope.Parse(body, 8 * 1024 * 1024, out var problem);
        if (envelope is null)
        {
            problem.Should().NotBeNullOrEmpty();
            return "parse: " + problem![..Math.Min(30, problem.Length)];
        }

        int length;
        try
        {
            var key = IncidentSealer.DeriveOpeningKey(IncidentSealer.BinaryVersion, envelope.KeyId, envelope.EphemeralPublicKey.Span, _serverKey);
            length = IncidentSealer.OpenWithKey(IncidentSealer.BinaryVersion, envelope.IncidentId, envelope.KeyId, envelope.Nonce.Span,
                envelope.Ciphertext.Span, key, envelope.Ciphertext.Span);
        }
        catch (CryptographicException e)
        {
            return $"crypto ({e.InnerException?.GetType().Name}): " + (e.Message.Length > 60 ? e.Message[..60] : e.Message);
        }

        var incident = IncidentPlaintext.Read(envelope.Ciphertext.Span[..length], out problem);
        if (incident is null)
        {
            problem.Should().NotBeNullOrEmpty();
            return "plaintext: " + problem![..Math.Min(40, problem.Length)];
        }

        // A spoilt plaintext sealed properly may still read: then it is what was sealed, or a changed incident the validator judges.
        if (envelope.Ciphertext.Span[..length].SequenceEqual(_plaintext))
        {
            incident.Should().BeEquivalentTo(_incident);
            return "opened";
        }

        return "opened changed plaintext";
    }
}
