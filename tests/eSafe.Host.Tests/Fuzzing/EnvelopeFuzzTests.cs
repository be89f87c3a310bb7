using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Fuzzing;

/// <summary>
/// The server's opener (<see cref="IncidentSealer.Open"/>, after the JSON is read) on spoilt envelopes: every
/// one is refused with a <see cref="JsonException"/> or <see cref="CryptographicException"/>, and any that
/// opens must hold exactly what was sealed.
/// </summary>
public sealed class EnvelopeFuzzTests
{
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("""{"id":"the incident, as sealed"}""");
    private static ECDiffieHellman _serverKey = null!;
    private static string _valid = null!;

    [OneTimeSetUp]
    public static void SealOne()
    {
        // A fixed key would have to be committed; the corpus is replayed against this run's key instead.
        _serverKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var envelope = IncidentSealer.Seal(Plaintext, IncidentId.New(DateTimeOffset.UtcNow), new ServerSealingKey("k1", _serverKey.ExportSubjectPublicKeyInfo()));
        _valid = JsonSerializer.Serialize(envelope, IncidentJson.Default.SealedIncident);
    }

    [OneTimeTearDown]
    public static void Dispose() => _serverKey.Dispose();

    private static IEnumerable<string> Saved() => FuzzSettings.Corpus("envelopes");

    [TestCaseSource(nameof(Saved))]
    public async Task A_saved_envelope_is_refused_with_an_error_value(string file) => Open(await File.ReadAllBytesAsync(file));

    [Test]
    public void Seeded_mutations_of_a_valid_envelope_are_refused_or_open_unchanged()
    {
        var mutator = new Mutator(FuzzSettings.Seed + 2);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Open(Encoding.UTF8.GetBytes(_valid)).Should().Be("opened", "the unspoilt envelope opens");
        for (var i = 0; i < FuzzSettings.Iterations(1000); i++)
        {
            var input = mutator.Next(2) == 0 ? mutator.Bytes(Encoding.UTF8.GetBytes(_valid)) : Encoding.UTF8.GetBytes(mutator.Json(_valid));
            var outcome = Open(input);
            FuzzSettings.Keep("envelopes", outcome, input, seen, "json");
        }
    }

    private static string Open(byte[] json)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(json, IncidentJson.Default.SealedIncident);
            if (envelope is null)
            {
                return "null";
            }

            IncidentSealer.Open(envelope, _serverKey).Should().Equal(Plaintext, "an envelope that opens holds what was sealed");
            return "opened";
        }
        catch (JsonException e)
        {
            return "json: " + (e.Path ?? "");
        }
        catch (CryptographicException e)
        {
            return $"crypto ({e.InnerException?.GetType().Name}): " + (e.Message.Length > 60 ? e.Message[..60] : e.Message);
        }
    }
}
