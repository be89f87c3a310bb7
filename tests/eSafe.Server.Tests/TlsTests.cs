using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using eSafe.Server.Cli;
using eSafe.Server.Security;
using eSafe.Server.Seeding;
using eSafe.Server.Tests.Support;
using eSafe.Server.Web;

namespace eSafe.Server.Tests;

/// <summary>HTTPS served by the server itself, on a real Kestrel at 127.0.0.1.</summary>
public sealed class TlsTests
{
    private static Task<ServerHarness> StartHttpsAsync(string? data = null, Func<ServerOptions, ServerOptions>? more = null) =>
        ServerHarness.StartAsync(data, configure: o => (more ?? (x => x))(o with { Urls = "https://127.0.0.1:0" }));

    private static string PrintedValue(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    private static async Task<SslProtocols> HandshakeAsync(ServerHarness server, SslProtocols protocols)
    {
        var expected = PrintedValue(server.Output, StartupAnnouncer.CertificateLine).Replace(":", "", StringComparison.Ordinal);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null && Tls.Sha256(presented) == expected);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols });
        return tls.SslProtocol;
    }

    [Test]
    public async Task Demo_mode_makes_a_self_signed_certificate_once_keeps_it_private_and_prints_its_fingerprints()
    {
        var data = ServerHarness.NewDataDirectory();
        try
        {
            string printed;
            await using (var first = await StartHttpsAsync(data))
            {
                first.BaseAddress.Scheme.Should().Be("https");
                printed = PrintedValue(first.Output, StartupAnnouncer.CertificateLine);
                var file = Path.Combine(data, "keys", TlsCertificates.SelfSignedCertificateFile);
                using var onDisk = X509Certificate2.CreateFromPemFile(file, Path.Combine(data, "keys", TlsCertificates.SelfSignedKeyFile));
                printed.Replace(":", "", StringComparison.Ordinal).Should().Be(Convert.ToHexString(onDisk.GetCertHash(HashAlgorithmName.SHA256)));
                PrintedValue(first.Output, StartupAnnouncer.PublicKeyLine).Should()
                    .Be(Convert.ToBase64String(SHA256.HashData(onDisk.PublicKey.ExportSubjectPublicKeyInfo())));
                foreach (var name in new[] { TlsCertificates.SelfSignedCertificateFile, TlsCertificates.SelfSignedKeyFile })
                {
                    SecureFiles.IsPrivate(Path.Combine(data, "keys", name)).Should().BeTrue(name + " is mode 600");
                }

                using var http = Tls.Client(first.BaseAddress, printed);
                (await http.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);
            }

            await using var second = await StartHttpsAsync(data);
            PrintedValue(second.Output, StartupAnnouncer.CertificateLine).Should().Be(printed, "the certificate is made once and kept");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task Only_TLS_1_2_and_1_3_are_accepted()
    {
        await using var server = await StartHttpsAsync();
        (await HandshakeAsync(server, SslProtocols.Tls12)).Should().Be(SslProtocols.Tls12);
        (await HandshakeAsync(server, SslProtocols.Tls13)).Should().Be(SslProtocols.Tls13);
#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0 and 1.1 are what is being refused
        foreach (var old in new[] { SslProtocols.Tls11, SslProtocols.Tls })
        {
            await FluentActions.Awaiting(() => HandshakeAsync(server, old)).Should().ThrowAsync<Exception>($"{old} is refused");
        }
#pragma warning restore SYSLIB0039, CA5397
    }

    /// <summary>
    /// Debian's OpenSSL refuses TLS 1.0/1.1 on its own, which would hide a server that allows them. So the server runs
    /// as a process with an OpenSSL configuration that allows TLS 1.0 and up, and Debian's openssl client offers
    /// only TLS 1.1 (or only 1.2, to show the set-up works): only the server's own setting can refuse 1.1.
    /// </summary>
    [Test]
    public async Task TLS_1_1_is_refused_even_where_OpenSSL_itself_would_allow_it()
    {
        if (!File.Exists("/usr/bin/openssl"))
        {
            Assert.Ignore("needs Debian's openssl command");
        }

        var folder = ServerHarness.NewDataDirectory();
        var configuration = Path.Combine(folder, "legacy-openssl.cnf");
        await File.WriteAllTextAsync(configuration, """
            openssl_conf = default_conf
            [default_conf]
            ssl_conf = ssl_sect
            [ssl_sect]
            system_default = system_default_sect
            [system_default_sect]
            MinProtocol = TLSv1
            CipherString = DEFAULT@SECLEVEL=0
            """);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "esafe-server.dll"), "serve", "--data", Path.Combine(folder, "data"),
                "--urls", "https://127.0.0.1:0", "--demo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OPENSSL_CONF"] = configuration;
        using var server = Process.Start(start)!;
        try
        {
            server.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do
            {
                line = await server.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith(StartupAnnouncer.ListeningLine, StringComparison.Ordinal));

            var port = new Uri(line![StartupAnnouncer.ListeningLine.Length..]).Port;
            (await OpenSslProtocolAsync(port, "-tls1_2", configuration)).Should().Be("TLSv1.2", "the set-up lets a client in");
            (await OpenSslProtocolAsync(port, "-tls1_1", configuration)).Should().BeNull("TLS 1.1 is refused by the server");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string?> OpenSslProtocolAsync(int port, string version, string configuration)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl")
        {
            ArgumentList = { "s_client", "-connect", $"127.0.0.1:{port}", version, "-cipher", "DEFAULT@SECLEVEL=0" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OPENSSL_CONF"] = configuration;
        using var client = Process.Start(start)!;
        client.StandardInput.Close();
        var error = client.StandardError.ReadToEndAsync();
        var output = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();
        await error;
        var protocol = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Protocol  :", StringComparison.Ordinal));
        var cipher = output.Split('\n').FirstOrDefault(l => l.Contains("Cipher is", StringComparison.Ordinal));
        return protocol is null || cipher is null || cipher.Contains("(NONE)", StringComparison.Ordinal) ? null : protocol.Split(':')[1].Trim();
    }

    [Test]
    public void The_server_asks_Kestrel_for_TLS_1_2_and_1_3_only() =>
        TransportSecurity.Protocols.Should().Be(SslProtocols.Tls12 | SslProtocols.Tls13);

    [TestCase(null, true)]
    [TestCase("esafe.example", true)]
    [TestCase("localhost", false)]
    public async Task HTTPS_responses_carry_HSTS_except_for_localhost(string? host, bool expected)
    {
        await using var server = await StartHttpsAsync();
        using var http = Tls.Client(server.BaseAddress, PrintedValue(server.Output, StartupAnnouncer.CertificateLine));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        if (expected)
        {
            response.Headers.GetValues("Strict-Transport-Security").Single().Should().Be($"max-age={(int)TransportSecurity.HstsMaxAge.TotalSeconds}");
        }
        else
        {
            response.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
        }
    }

    [Test]
    public async Task Plain_HTTP_responses_carry_no_HSTS_and_a_cookie_without_Secure()
    {
        await using var server = await ServerHarness.StartAsync();
        using var http = server.HttpClient();
        using var response = await Http.LoginAsync(http, server.Demo!.AnalystUsername, server.Demo.AnalystPassword);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
        response.Headers.GetValues("Set-Cookie").Single().Should().NotContain("secure");
    }

    [Test]
    public async Task Over_HTTPS_the_session_cookie_is_Secure_and_works()
    {
        await using var server = await StartHttpsAsync();
        var cookies = new CookieContainer();
        using var http = Tls.Client(server.BaseAddress, PrintedValue(server.Output, StartupAnnouncer.CertificateLine), cookies);
        using var response = await Http.LoginAsync(http, server.Demo!.AnalystUsername, server.Demo.AnalystPassword);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single().Should().Contain("secure").And.Contain("httponly").And.Contain("samesite=strict");
        (await http.GetAsync("/api/v1/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [TestCase("pem")]
    [TestCase("pfx")]
    public async Task A_given_certificate_is_served(string form)
    {
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            using var certificate = Tls.NewCertificate();
            var (pem, key, pfx) = Tls.Write(certificate, folder, "pfx-secret");
            await using var server = await StartHttpsAsync(more: o => form == "pem"
                ? o with { CertificateFile = pem, CertificateKeyFile = key, Demo = false }
                : o with { CertificateFile = pfx, CertificatePassword = "pfx-secret", Demo = false });
            using var http = Tls.Client(server.BaseAddress, Tls.Sha256(certificate));
            (await http.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);
            PrintedValue(server.Output, StartupAnnouncer.CertificateLine).Replace(":", "", StringComparison.Ordinal).Should().Be(Tls.Sha256(certificate));
            File.Exists(Path.Combine(server.DataDirectory, "keys", TlsCertificates.SelfSignedCertificateFile)).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static IEnumerable<TestCaseData> BadCertificates()
    {
        yield return new TestCaseData("missing certificate", (Func<Files, string[]>)(f => ["--cert", f.Folder + "/nope.pem", "--cert-key", f.Key]), "does not exist");
        yield return new TestCaseData("missing key", (Func<Files, string[]>)(f => ["--cert", f.Pem, "--cert-key", f.Folder + "/nope.pem"]), "does not exist");
        yield return new TestCaseData("unreadable certificate", (Func<Files, string[]>)(f => ["--cert", f.Folder, "--cert-key", f.Key]), "cannot be read");
        yield return new TestCaseData("not a certificate", (Func<Files, string[]>)(f => ["--cert", f.Key, "--cert-key", f.Key]), "is not a PEM certificate");
        yield return new TestCaseData("key of another certificate", (Func<Files, string[]>)(f => ["--cert", f.Pem, "--cert-key", f.OtherKey]), "does not match");
        yield return new TestCaseData("PEM without a key", (Func<Files, string[]>)(f => ["--cert", f.Pem]), "--cert-key");
        yield return new TestCaseData("PFX, wrong password", (Func<Files, string[]>)(f => ["--cert", f.Pfx, "--cert-password", "wrong"]), "cannot be opened");
        yield return new TestCaseData("expired", (Func<Files, string[]>)(f => ["--cert", f.ExpiredPem, "--cert-key", f.ExpiredKey]), "valid only");
        yield return new TestCaseData("key without certificate", (Func<Files, string[]>)(f => ["--cert-key", f.Key]), "--cert");
        yield return new TestCaseData("certificate on plain HTTP", (Func<Files, string[]>)(f => ["--cert", f.Pem, "--cert-key", f.Key, "--urls", "http://127.0.0.1:0"]), "no URL is https");
        yield return new TestCaseData("https without a certificate", (Func<Files, string[]>)(_ => []), "needs a certificate");
    }

    public sealed record Files(string Folder, string Pem, string Key, string Pfx, string OtherKey, string ExpiredPem, string ExpiredKey);

    [TestCaseSource(nameof(BadCertificates))]
    public async Task A_bad_certificate_option_exits_1_saying_what_is_wrong(string name, Func<Files, string[]> arguments, string message)
    {
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            using var certificate = Tls.NewCertificate();
            var (pem, key, pfx) = Tls.Write(certificate, folder, "pfx-secret");
            var other = Directory.CreateDirectory(Path.Combine(folder, "other")).FullName;
            using var another = Tls.NewCertificate();
            var (_, otherKey, _) = Tls.Write(another, other, "x");
            var expiredFolder = Directory.CreateDirectory(Path.Combine(folder, "expired")).FullName;
            using var expiredCertificate = Tls.NewCertificate(notAfter: DateTimeOffset.UtcNow.AddDays(-1));
            var (expired, expiredKey, _) = Tls.Write(expiredCertificate, expiredFolder, "x");
            var files = new Files(folder, pem, key, pfx, otherKey, expired, expiredKey);

            var given = arguments(files);
            string[] args = ["serve", "--data", Path.Combine(folder, "data"), .. given.Contains("--urls") ? [] : new[] { "--urls", "https://127.0.0.1:0" }, .. given];
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await ServerCommands.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

            exit.Should().Be(1, name);
            error.ToString().Should().StartWith("esafe-server: ").And.Contain(message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
