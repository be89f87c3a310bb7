using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace eSafe.Host.Tests.Support;

/// <summary>
/// Kestrel on 127.0.0.1 over HTTPS with a self-signed certificate made for the test: no chain leads to it,
/// so a client reaches it only through a pin. It answers the device API's upload and library versions.
/// </summary>
internal sealed class SelfSignedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SelfSignedServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
        Url = new Uri(app.Urls.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
    }

    public X509Certificate2 Certificate { get; }

    public Uri Url { get; }

    public int Uploads { get; private set; }

    public static async Task<SelfSignedServer> StartAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        SelfSignedServer? server = null;
        app.MapPost("/api/v1/incidents", async (HttpContext context) =>
        {
            var incident = await JsonSerializer.DeserializeAsync(context.Request.Body, IncidentJson.Default.SealedIncident);
            server!.Uploads++;
            return Results.Json(new IngestReceipt(incident!.IncidentId, false), ContractsJson.Default.IngestReceipt);
        });
        app.MapGet("/api/v1/devices/libraries", () => Results.Json(new LibraryVersions("global", "1", "school-7", 1), ContractsJson.Default.LibraryVersions));
        await app.StartAsync();
        server = new SelfSignedServer(app, certificate);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
