using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace eSafe.Server.Security;

/// <summary>The certificate the server presents on its https URLs, with the fingerprints a device can pin.</summary>
public sealed record ServerCertificate(X509Certificate2 Certificate, string Source, bool SelfSigned)
{
    /// <summary>SHA-256 of the whole certificate, as hex pairs separated by colons (what browsers show).</summary>
    public string CertificateSha256 => Convert.ToHexString(Certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2)
        .Select(pair => new string(pair)).Aggregate((a, b) => a + ":" + b);

    /// <summary>SHA-256 of the SubjectPublicKeyInfo in base64: stays the same when a certificate is renewed with the same key.</summary>
    public string PublicKeySha256 => Convert.ToBase64String(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}

/// <summary>
/// Finds the certificate for https URLs: the one given (<c>--cert</c> PEM with <c>--cert-key</c>, or a PFX), or with
/// <c>--demo</c> a self-signed one made once and kept in keys/ (<see cref="SelfSignedCertificateFile"/>). Every
/// problem is a <see cref="ServerSetupException"/> that says which file and what is wrong.
/// </summary>
public static class TlsCertificates
{
    public const string SelfSignedCertificateFile = "tls-cert.pem";
    public const string SelfSignedKeyFile = "tls-key.pem";

    /// <summary>The certificate to serve with, or null when no URL is https (and none was given).</summary>
    public static ServerCertificate? Find(ServerOptions options, string keysDirectory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var https = urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase));
        if (options.CertificateFile is null && (options.CertificateKeyFile is not null || options.CertificatePassword is not null))
        {
            throw new ServerSetupException("--cert-key and --cert-password go with --cert: give the certificate file too.");
        }

        if (options.CertificateFile is not null)
        {
            if (!https)
            {
                throw new ServerSetupException("--cert is given but no URL is https: use --urls https://HOST:PORT.");
            }

            return Checked(Load(options.CertificateFile, options.CertificateKeyFile, options.CertificatePassword), options.CertificateFile, clock);
        }

        if (!https)
        {
            return null;
        }

        if (!options.Demo)
        {
            throw new ServerSetupException(
                "An https URL needs a certificate: --cert FILE.pem --cert-key KEY.pem, or --cert FILE.pfx [--cert-password]. " +
                "(With --demo the server makes a self-signed one.)");
        }

        return SelfSigned(keysDirectory, urls, clock);
    }

    private static X509Certificate2 Load(string certificateFile, string? keyFile, string? password)
    {
        var isPfx = certificateFile.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certificateFile.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        var certificateText = Read(certificateFile);
        if (isPfx)
        {
            if (keyFile is not null)
            {
                throw new ServerSetupException($"{certificateFile} is a PFX, which holds its own key: leave out --cert-key.");
            }

            try
            {
                var pfx = X509CertificateLoader.LoadPkcs12(certificateText, password);
                return pfx.HasPrivateKey ? pfx : throw new ServerSetupException($"The PFX {certificateFile} holds no private key.");
            }
            catch (CryptographicException e)
            {
                throw new ServerSetupException($"The PFX {certificateFile} cannot be opened (wrong --cert-password, or not a PFX): {e.Message}", e);
            }
        }

        if (keyFile is null)
        {
            throw new ServerSetupException($"{certificateFile} is a PEM certificate: give its private key with --cert-key KEY.pem.");
        }

        var pem = Encoding.ASCII.GetString(certificateText);
        var keyPem = Encoding.ASCII.GetString(Read(keyFile));
        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ServerSetupException($"{certificateFile} is not a PEM certificate: {e.Message}", e);
        }

        using (publicOnly)
        {
            try
            {
                using var withKey = password is null ? X509Certificate2.CreateFromPem(pem, keyPem) : X509Certificate2.CreateFromEncryptedPem(pem, keyPem, password);
                // Through PKCS#12 so that the key is usable by TLS on every platform (an ephemeral key is not on Windows).
                return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException && keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw new ServerSetupException(
                    $"The key {keyFile} does not match the certificate {certificateFile} (or needs --cert-password): {e.Message}", e);
            }
            catch (CryptographicException e)
            {
                throw new ServerSetupException($"{keyFile} is not a PEM private key: {e.Message}", e);
            }
        }
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ServerSetupException($"The file {path} does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerSetupException($"The file {path} cannot be read: {e.Message}", e);
        }
    }

    private static ServerCertificate Checked(X509Certificate2 certificate, string source, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime || certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            var (from, to) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            certificate.Dispose();
            throw new ServerSetupException($"The certificate {source} is valid only from {from:u} to {to:u}.");
        }

        return new ServerCertificate(certificate, source, SelfSigned: false);
    }

    // Made once (keys/tls-cert.pem and keys/tls-key.pem, mode 600) and reused, so its fingerprint stays what devices pinned.
    private static ServerCertificate SelfSigned(string keysDirectory, string[] urls, TimeProvider clock)
    {
        var certificatePath = Path.Combine(keysDirectory, SelfSignedCertificateFile);
        var keyPath = Path.Combine(keysDirectory, SelfSignedKeyFile);
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=eSafe server (self-signed)", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            foreach (var host in urls.Select(HostOf).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IPAddress.TryParse(host, out var ip))
                {
                    names.AddIpAddress(ip);
                }
                else
                {
                    names.AddDnsName(host);
                }
            }

            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = clock.GetUtcNow();
            using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(825));
            SecureFiles.Write(keyPath, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), overwrite: true);
            SecureFiles.Write(certificatePath, Encoding.ASCII.GetBytes(made.ExportCertificatePem() + "\n"), overwrite: true);
        }

        var certificate = Load(certificatePath, keyPath, password: null);
        return Checked(certificate, certificatePath, clock) with { SelfSigned = true };
    }

    private static string? HostOf(string url)
    {
        var host = Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : null;
        return host is null or "0.0.0.0" or "::" or "localhost" ? null : host;
    }
}
