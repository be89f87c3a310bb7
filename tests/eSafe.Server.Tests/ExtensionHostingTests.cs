using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using eSafe.Server.Extension;
using eSafe.Server.Seeding;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>
/// The packed extension (CRX3 written to Chromium's format, crx3.proto) and the update manifest the server
/// offers it with. Chromium itself judges the CRX in the end-to-end test Deployment/ForceInstallTests.
/// </summary>
public sealed class ExtensionHostingTests
{
    private static readonly XNamespace Gupdate = "http://www.google.com/update2/response";

    [Test]
    public void The_id_is_chromes_for_the_manifests_key()
    {
        // The manifest's key and the ID docs and the host name for it (sha256 of the key, 32 letters a-p).
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "extension", "manifest.json")));
        var key = Convert.FromBase64String(manifest.RootElement.GetProperty("key").GetString()!);

        ExtensionId.FromPublicKey(key).Should().Be(Contracts.Native.NativeProtocol.ExtensionId);
    }

    [Test]
    public void A_packed_extension_reads_back_with_the_id_of_its_key_its_version_and_that_key_in_its_manifest()
    {
        using var rsa = RSA.Create(2048);
        var crx = Pack(rsa);

        var package = CrxPackage.Read(crx);

        package.Id.Should().Be(ExtensionId.FromPublicKey(rsa.ExportSubjectPublicKeyInfo())).And.MatchRegex("^[a-p]{32}$");
        package.Version.Should().Be(ManifestVersion());
        package.Sha256Hex.Should().Be(Convert.ToHexStringLower(SHA256.HashData(crx)));
        crx.AsSpan(0, 4).ToArray().Should().Equal("Cr24"u8.ToArray());
        BitConverter.ToUInt32(crx, 4).Should().Be(3);
    }

    [TestCase(-1, "*does not match its contents*", TestName = "a changed byte in the zip")]
    [TestCase(40, "*", TestName = "a changed byte in the header")]
    [TestCase(4, "*CRX3*", TestName = "another format version")]
    [TestCase(0, "*Cr24*", TestName = "not a CRX")]
    public void A_damaged_crx_is_refused_saying_what_is_wrong(int offset, string message)
    {
        using var rsa = RSA.Create(2048);
        var crx = Pack(rsa);
        crx[offset < 0 ? crx.Length - 30 : offset] ^= 0x5A;

        var read = () => CrxPackage.Read(crx);

        read.Should().Throw<Exception>().Where(e => e is InvalidDataException || e is CryptographicException).WithMessage(message);
    }

    [Test]
    public void A_crx_signed_by_another_key_than_its_id_says_is_refused()
    {
        using var publisher = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var crx = Pack(publisher);
        var header = BitConverter.ToInt32(crx, 8);
        // The proof's key swapped for another of the same length: the ID no longer comes from any signing key.
        var publicKey = publisher.ExportSubjectPublicKeyInfo();
        var at = crx.AsSpan(12, header).IndexOf(publicKey);
        at.Should().BePositive();
        other.ExportSubjectPublicKeyInfo().CopyTo(crx, 12 + at);

        var read = () => CrxPackage.Read(crx);

        read.Should().Throw<InvalidDataException>().WithMessage("*key its ID comes from*");
    }

    [Test]
    public async Task The_server_offers_the_crx_and_an_update_manifest_naming_its_id_version_address_and_hash()
    {
        using var rsa = RSA.Create(2048);
        var file = Path.Combine(Directory.CreateTempSubdirectory("esafe-crx-").FullName, "esafe.crx");
        await File.WriteAllBytesAsync(file, Pack(rsa));
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?> { [HostedExtension.Setting] = file });
        using var http = server.HttpClient();

        var xml = await http.GetAsync("/extension/updates.xml");
        var crx = await http.GetAsync("/extension/esafe.crx");

        xml.StatusCode.Should().Be(HttpStatusCode.OK);
        var check = XDocument.Parse(await xml.Content.ReadAsStringAsync()).Root!.Element(Gupdate + "app")!;
        var id = ExtensionId.FromPublicKey(rsa.ExportSubjectPublicKeyInfo());
        ((string)check.Attribute("appid")!).Should().Be(id);
        var update = check.Element(Gupdate + "updatecheck")!;
        ((string)update.Attribute("codebase")!).Should().Be(new Uri(server.BaseAddress, "/extension/esafe.crx").ToString());
        ((string)update.Attribute("version")!).Should().Be(ManifestVersion());
        crx.StatusCode.Should().Be(HttpStatusCode.OK);
        crx.Content.Headers.ContentType!.MediaType.Should().Be("application/x-chrome-extension");
        var bytes = await crx.Content.ReadAsByteArrayAsync();
        ((string)update.Attribute("hash_sha256")!).Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        bytes.Should().Equal(await File.ReadAllBytesAsync(file));
        server.Output.Should().Contain($"{StartupAnnouncer.ExtensionLine}{id};{server.BaseAddress.ToString().TrimEnd('/')}/extension/updates.xml");
    }

    [Test]
    public async Task A_damaged_crx_is_not_offered_and_the_answer_says_why()
    {
        using var rsa = RSA.Create(2048);
        var file = Path.Combine(Directory.CreateTempSubdirectory("esafe-crx-").FullName, "esafe.crx");
        var crx = Pack(rsa);
        crx[^20] ^= 1;
        await File.WriteAllBytesAsync(file, crx);
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?> { [HostedExtension.Setting] = file });
        using var http = server.HttpClient();

        foreach (var path in new[] { "/extension/updates.xml", "/extension/esafe.crx" })
        {
            var answer = await http.GetAsync(path);
            answer.StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            (await answer.Content.ReadAsStringAsync()).Should().Contain("cannot be used");
        }
    }

    [Test]
    public async Task A_first_start_with_no_school_prints_the_commands_that_come_first()
    {
        await using var server = await ServerHarness.StartAsync(demo: false);

        server.Output.Should().Contain("No school yet").And.Contain("school add --name").And.Contain("analyst add --username");
    }

    private static byte[] Pack(RSA key)
    {
        using var output = new MemoryStream();
        CrxWriter.Pack(Path.Combine(RepositoryRoot(), "extension"), key, output);
        return output.ToArray();
    }

    private static string ManifestVersion() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "extension", "manifest.json"))).RootElement.GetProperty("version").GetString()!;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eSafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eSafe.sln not found above the test assembly.");
    }
}
