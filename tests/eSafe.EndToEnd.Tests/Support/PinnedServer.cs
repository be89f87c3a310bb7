using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// A stand-in for the server's enrolment over HTTPS on 127.0.0.1 with a self-signed certificate made for
/// the test: no chain leads to it, so the host reaches it only through the pin of its public key.
/// </summary>
public sealed class PinnedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDiffieHellman _sealingKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private int _enrolments;

    private PinnedServer(WebApplication app, X509Certificate2 certificate, string pin)
    {
        _app = app;
        Certificate = certificate;
        Pin = pin;
        Url = new Uri(app.Urls.First());
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate's SubjectPublicKeyInfo, base64: what <c>install --pin-sha256</c> takes.</summary>
    public string Pin { get; }

    public Uri Url { get; }

    public int Enrolments => _enrolments;

    public static async Task<PinnedServer> StartAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pin = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        PinnedServer? server = null;
        app.MapPost("/api/v1/devices/enrol", () =>
        {
            Interlocked.Increment(ref server!._enrolments);
            return Results.Json(new EnrolmentResponse("school-pinned", "dev-pinned", "dev-pinned.token",
                new ServerSealingKey("k1", server._sealingKey.ExportSubjectPublicKeyInfo())), ContractsJson.Default.EnrolmentResponse);
        });
        await app.StartAsync();
        server = new PinnedServer(app, certificate, pin);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        _sealingKey.Dispose();
    }
}
