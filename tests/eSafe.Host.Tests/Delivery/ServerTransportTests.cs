using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using Refit;

namespace eSafe.Host.Tests.Delivery;

/// <summary>Plain http only to this machine; a pinned key replaces the chain, and a server without it is refused.</summary>
public sealed class ServerTransportTests
{
    [TestCase("https://esafe.example.org/", true)]
    [TestCase("http://127.0.0.1:5080/", true)]
    [TestCase("http://localhost:5080/", true)]
    [TestCase("http://[::1]:5080/", true)]
    [TestCase("http://esafe.example.org/", false)]
    [TestCase("http://10.0.0.5:5080/", false)]
    [TestCase("http://127.0.0.1.example.org/", false)]
    [TestCase("ftp://127.0.0.1/", false)]
    public void Plain_http_is_allowed_only_to_this_machine(string url, bool allowed)
    {
        var problem = ServerTransport.Problem(new Uri(url));

        if (allowed)
        {
            problem.Should().BeNull();
        }
        else
        {
            problem.Should().Contain("is not https").And.Contain("only to this machine");
        }
    }

    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true)]
    [TestCase("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", true)]
    [TestCase("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", true)]
    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", false)]
    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", false)]
    [TestCase("sha256/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", false)]
    [TestCase("", false)]
    public void A_pin_is_32_bytes_in_base64_or_hex(string text, bool valid)
    {
        var pin = ServerTransport.ParsePin(text);

        if (valid)
        {
            pin.Should().Equal(Enumerable.Range(0, 32).Select(i => (byte)i));
        }
        else
        {
            pin.Should().BeNull();
        }
    }

    [Test]
    public async Task An_upload_to_plain_http_on_another_machine_is_refused_before_anything_is_sent()
    {
        using var client = new DeviceApiClient(new Uri("http://esafe.example.org/"));

        var upload = () => client.Api.UploadIncidentAsync(Envelopes.At(DateTimeOffset.UtcNow), "token", CancellationToken.None);

        (await upload.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("refused: the server http://esafe.example.org is not https");
    }

    [Test]
    public async Task With_the_servers_pin_a_self_signed_server_is_reached()
    {
        await using var server = await SelfSignedServer.StartAsync();
        var pin = ServerTransport.ParsePin(ServerTransport.PinOf(server.Certificate))!;
        using var client = new DeviceApiClient(server.Url, [new byte[32], pin]);

        var receipt = await client.Api.UploadIncidentAsync(Envelopes.At(DateTimeOffset.UtcNow), "token", CancellationToken.None);
        var versions = await client.Api.GetLibraryVersionsAsync("token", CancellationToken.None);

        receipt.Duplicate.Should().BeFalse();
        versions.SchoolId.Should().Be("school-7");
        server.Uploads.Should().Be(1);
    }

    [Test]
    public async Task With_another_pin_nothing_reaches_the_server_and_the_error_says_why()
    {
        await using var server = await SelfSignedServer.StartAsync();
        using var client = new DeviceApiClient(server.Url, [new byte[32]]);

        var upload = () => client.Api.UploadIncidentAsync(Envelopes.At(DateTimeOffset.UtcNow), "token", CancellationToken.None);
        var libraries = () => client.Api.GetLibraryVersionsAsync("token", CancellationToken.None);

        (await upload.Should().ThrowAsync<ApiRequestException>()).Which.ToString().Should()
            .Contain($"refused: the server's public key (sha256 {ServerTransport.PinOf(server.Certificate)}) matches none of the 1 pinned key(s)");
        await libraries.Should().ThrowAsync<ApiRequestException>();
        server.Uploads.Should().Be(0);
    }

    [Test]
    public async Task Without_a_pin_the_chain_is_checked_and_a_self_signed_server_is_refused()
    {
        await using var server = await SelfSignedServer.StartAsync();
        using var client = new DeviceApiClient(server.Url);

        var upload = () => client.Api.UploadIncidentAsync(Envelopes.At(DateTimeOffset.UtcNow), "token", CancellationToken.None);

        await upload.Should().ThrowAsync<ApiRequestException>();
        server.Uploads.Should().Be(0);
    }
}
