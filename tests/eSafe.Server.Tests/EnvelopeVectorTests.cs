using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Incidents;

namespace eSafe.Server.Tests;

/// <summary>
/// The published envelope vectors (docs/envelope-vectors.json), which the extension's WebCrypto code is checked
/// against too: the C# sealer must give the same bytes from the same keys and nonce, and open them.
/// </summary>
public sealed class EnvelopeVectorTests
{
    private static readonly JsonElement Vectors = Load();

    public static IEnumerable<TestCaseData> Envelopes() =>
        Vectors.GetProperty("envelopes").EnumerateArray().Select(v => new TestCaseData(v).SetArgDisplayNames(v.GetProperty("name").GetString()!));

    public static IEnumerable<TestCaseData> BinaryEnvelopes() =>
        Vectors.GetProperty("binaryEnvelopes").EnumerateArray().Select(v => new TestCaseData(v).SetArgDisplayNames(v.GetProperty("name").GetString()!));

    public static IEnumerable<TestCaseData> UserIds() =>
        Vectors.GetProperty("userIds").EnumerateArray().Select(v => new TestCaseData(v).SetArgDisplayNames(v.GetProperty("account").GetString()!));

    [TestCaseSource(nameof(Envelopes))]
    public void The_sealer_gives_the_published_envelope_and_opens_it(JsonElement vector)
    {
        using var ephemeral = ECDiffieHellman.Create();
        ephemeral.ImportPkcs8PrivateKey(Bytes(vector, "ephemeralPrivateKeyPkcs8"), out _);
        var plaintext = Encoding.UTF8.GetBytes(vector.GetProperty("plaintextUtf8").GetString()!);
        var serverKey = new ServerSealingKey(vector.GetProperty("keyId").GetString()!, Bytes(vector, "serverPublicKey"));

        var envelope = IncidentSealer.SealWith(plaintext, vector.GetProperty("id").GetString()!, serverKey, ephemeral, Bytes(vector, "nonce"));

        JsonSerializer.Serialize(envelope, ContractsJson.Default.SealedIncident)
            .Should().Be(JsonSerializer.Serialize(JsonSerializer.Deserialize(vector.GetProperty("envelope").GetRawText(), ContractsJson.Default.SealedIncident)!,
                ContractsJson.Default.SealedIncident));
        envelope.Ciphertext.Should().Equal(Convert.FromBase64String(vector.GetProperty("envelope").GetProperty("ciphertext").GetString()!));

        using var server = ECDiffieHellman.Create();
        server.ImportPkcs8PrivateKey(Bytes(vector, "serverPrivateKeyPkcs8"), out _);
        IncidentSealer.Open(envelope, server).Should().Equal(plaintext);
    }

    [TestCaseSource(nameof(BinaryEnvelopes))]
    public void Version_2_gives_the_published_binary_envelope_and_opens_it_in_place(JsonElement vector)
    {
        using var ephemeral = ECDiffieHellman.Create();
        ephemeral.ImportPkcs8PrivateKey(Bytes(vector, "ephemeralPrivateKeyPkcs8"), out _);
        var id = vector.GetProperty("id").GetString()!;
        var keyId = vector.GetProperty("keyId").GetString()!;
        var serverKey = new ServerSealingKey(keyId, Bytes(vector, "serverPublicKey"));
        var screenshot = vector.GetProperty("screenshot").ValueKind == JsonValueKind.Null ? null : Bytes(vector, "screenshot");
        var incident = JsonSerializer.Deserialize(vector.GetProperty("incidentJsonUtf8").GetString()!, IncidentJson.Default.Incident)! with { Screenshot = screenshot };

        var plaintext = IncidentPlaintext.Write(incident);
        var body = BinaryEnvelope.Encode(IncidentSealer.SealWith(plaintext, id, serverKey, ephemeral, Bytes(vector, "nonce"), IncidentSealer.BinaryVersion));

        plaintext.Should().Equal(Bytes(vector, "plaintext"));
        body.Should().Equal(Bytes(vector, "envelope"));
        var parsed = BinaryEnvelope.Parse(body, body.Length, out var problem);
        problem.Should().BeNull();
        parsed!.IncidentId.Should().Be(id);
        parsed.KeyId.Should().Be(keyId);
        using var server = ECDiffieHellman.Create();
        server.ImportPkcs8PrivateKey(Bytes(vector, "serverPrivateKeyPkcs8"), out _);
        var key = IncidentSealer.DeriveOpeningKey(IncidentSealer.BinaryVersion, keyId, parsed.EphemeralPublicKey.Span, server);
        var length = IncidentSealer.OpenWithKey(IncidentSealer.BinaryVersion, id, keyId, parsed.Nonce.Span, parsed.Ciphertext.Span, key, parsed.Ciphertext.Span);
        parsed.Ciphertext.Span[..length].ToArray().Should().Equal(plaintext);
        IncidentPlaintext.Read(plaintext, out _).Should().BeEquivalentTo(incident);
    }

    [TestCaseSource(nameof(BinaryEnvelopes))]
    public void A_version_2_seal_never_opens_as_version_1(JsonElement vector)
    {
        var parsed = BinaryEnvelope.Parse(Bytes(vector, "envelope"), int.MaxValue, out _)!;
        using var server = ECDiffieHellman.Create();
        server.ImportPkcs8PrivateKey(Bytes(vector, "serverPrivateKeyPkcs8"), out _);
        var asVersion1 = parsed.ToSealedIncident() with { Version = IncidentSealer.CurrentVersion };

        FluentActions.Invoking(() => IncidentSealer.Open(asVersion1, server)).Should().Throw<CryptographicException>();
    }

    [TestCaseSource(nameof(UserIds))]
    public void The_user_id_is_the_published_one(JsonElement vector) =>
        PseudonymousId.Compute(Bytes(vector, "userIdKey"), vector.GetProperty("account").GetString()!)
            .Should().Be(vector.GetProperty("userId").GetString());

    private static byte[] Bytes(JsonElement vector, string name) => Convert.FromBase64String(vector.GetProperty(name).GetString()!);

    private static JsonElement Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "envelope-vectors.json");
            if (File.Exists(path))
            {
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
            }
        }

        throw new FileNotFoundException("docs/envelope-vectors.json was not found above the test's folder.");
    }
}
