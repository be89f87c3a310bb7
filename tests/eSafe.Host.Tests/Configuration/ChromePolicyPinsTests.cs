using System.Text.Json.Nodes;
using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Configuration;

/// <summary>Server pins from Chrome policy (the extension's managed configuration), read by the host before it enrols.</summary>
public sealed class ChromePolicyPinsTests
{
    private const string PinA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string PinBHex = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

    [Test]
    public void Pins_are_read_from_every_policy_file_as_a_list_or_one_string_and_wrong_ones_are_dropped()
    {
        using var folder = new TemporaryFolder();
        var managed = folder.Sub("managed");
        Directory.CreateDirectory(managed);
        File.WriteAllText(Path.Combine(managed, "a.json"), Policy("abcdefghijklmnopabcdefghijklmnop", new JsonArray(PinA, "not-a-pin")).ToJsonString());
        File.WriteAllText(Path.Combine(managed, "b.json"), Policy("ponmlkjihgfedcbaponmlkjihgfedcba", PinBHex).ToJsonString());
        File.WriteAllText(Path.Combine(managed, "c.json"), "{ broken");
        File.WriteAllText(Path.Combine(managed, "d.json"), """{"IncognitoModeAvailability": 1}""");

        var pins = ChromePolicyPins.ReadFolders([managed, folder.Sub("missing")]);

        pins.Should().Equal(PinA, Convert.ToBase64String(Convert.FromHexString(PinBHex)));
    }

    [Test]
    public void Policy_pins_are_added_to_the_installs()
    {
        var config = new HostConfig(new Uri("https://esafe.example.org/"), "CODE", [PinA]);

        var merged = ChromePolicyPins.WithPolicyPins(config, [PinA, "H+3h/BsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA="]);

        merged.PinSha256.Should().Equal(PinA, "H+3h/BsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=");
        ChromePolicyPins.WithPolicyPins(config, []).Should().BeSameAs(config);
    }

    [Test]
    public async Task Enrolment_over_a_connection_failing_a_pin_set_by_Chrome_policy_is_refused()
    {
        await using var server = await SelfSignedServer.StartAsync();
        using var folder = new TemporaryFolder();
        var paths = new HostPaths(folder.Sub("state"), folder.Sub("machine"));
        // Installed without a pin: only the policy pins this server out.
        var config = new HostConfig(server.Url, "ENROL-CODE");

        using (PolicyFile(folder, Policy("abcdefghijklmnopabcdefghijklmnop", new JsonArray(PinA))))
        {
            var enrol = () => DeviceEnrolment.EnsureAsync(paths, config, "0.1.0", CancellationToken.None);
            (await enrol.Should().ThrowAsync<Exception>()).Which.ToString().Should()
                .Contain($"refused: the server's public key (sha256 {ServerTransport.PinOf(server.Certificate)}) matches none of the 1 pinned key(s)");
        }

        using (PolicyFile(folder, Policy("abcdefghijklmnopabcdefghijklmnop", new JsonArray(ServerTransport.PinOf(server.Certificate)))))
        {
            // The right pin reaches the stand-in server, which has no enrolment endpoint: a 404, not a refusal.
            var enrol = () => DeviceEnrolment.EnsureAsync(paths, config, "0.1.0", CancellationToken.None);
            (await enrol.Should().ThrowAsync<Refit.ApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        }

        File.Exists(paths.EnrolmentFile).Should().BeFalse();
    }

    private static JsonObject Policy(string extensionId, JsonNode pins) => new()
    {
        ["3rdparty"] = new JsonObject { ["extensions"] = new JsonObject { [extensionId] = new JsonObject { ["pinSha256"] = pins } } },
    };

    // A managed policy folder of the test's own, read in place of the browsers' (the machine's policy would reach
    // every host on it, other tests' included).
    private static TemporaryPolicy PolicyFile(TemporaryFolder folder, JsonObject policy)
    {
        var managed = folder.Sub("policies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(managed);
        File.WriteAllText(Path.Combine(managed, "esafe.json"), policy.ToJsonString());
        Environment.SetEnvironmentVariable(ChromePolicyPins.FoldersVariable, managed);
        return new TemporaryPolicy();
    }

    private sealed class TemporaryPolicy : IDisposable
    {
        public void Dispose() => Environment.SetEnvironmentVariable(ChromePolicyPins.FoldersVariable, null);
    }
}
