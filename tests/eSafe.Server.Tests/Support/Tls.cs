using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace eSafe.Server.Tests.Support;

/// <summary>Certificates made by the tests, and clients that trust a server's certificate by its SHA-256 only.</summary>
public static class Tls
{
    public static X509Certificate2 NewCertificate(string name = "esafe.test", DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
        return made;
    }

    /// <summary>Writes a certificate as PEM (certificate and key files) and as a PFX with a password; returns the three paths.</summary>
    public static (string Pem, string Key, string Pfx) Write(X509Certificate2 certificate, string folder, string pfxPassword)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var pem = Path.Combine(folder, "server.pem");
        var key = Path.Combine(folder, "server-key.pem");
        var pfx = Path.Combine(folder, "server.pfx");
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, pfxPassword));
        return (pem, key, pfx);
    }

    public static string Sha256(X509Certificate certificate) =>
        Convert.ToHexString(new X509Certificate2(certificate).GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>An HttpClient that accepts exactly the certificate with this SHA-256 (hex, with or without colons).</summary>
    public static HttpClient Client(Uri baseAddress, string sha256, CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies ?? new CookieContainer(),
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && string.Equals(Sha256(presented), sha256.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase),
        })
        { BaseAddress = baseAddress };
}
