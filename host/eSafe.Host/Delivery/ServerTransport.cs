using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace eSafe.Host.Delivery;

/// <summary>
/// How the host may reach its server: HTTPS, or plain HTTP to this machine only; and, when the school
/// pinned the server's public key, only to a server holding that key (the pin then replaces the
/// certificate chain's validation, so a self-signed or private CA certificate works too).
/// </summary>
public static class ServerTransport
{
    /// <summary>Why the host must not send anything to this URL, or null when it may.</summary>
    public static string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)
            ? null
            : $"the server {url.GetLeftPart(UriPartial.Authority)} is not https: plain http is allowed only to this machine (127.0.0.1, ::1, localhost); reinstall with an https:// URL";
    }

    /// <summary>A pin as the admin gives it: the SHA-256 of the server's SubjectPublicKeyInfo, in base64 or hex; null when it is neither.</summary>
    public static byte[]? ParsePin(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length == 64 && value.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(value);
        }

        var bytes = new byte[32];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32 && value.Length == 44 ? bytes : null;
    }

    /// <summary>The pin of a certificate's public key, in base64 (what <c>install --pin-sha256</c> takes).</summary>
    public static string PinOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The handler every request to the server goes through.</summary>
    public static HttpMessageHandler Handler(IReadOnlyList<byte[]> pins)
    {
        var check = new PinCheck(pins);
        var sockets = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = check.Validate },
        };
        return new Guard(check) { InnerHandler = sockets };
    }

    /// <summary>Checks the server's certificate: by pin when there are pins, else by its chain as usual.</summary>
    private sealed class PinCheck(IReadOnlyList<byte[]> pins)
    {
        public string? LastRefusal { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (pins.Count == 0)
            {
                return errors == SslPolicyErrors.None;
            }

            if (certificate is null)
            {
                LastRefusal = "the server showed no certificate";
                return false;
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var actual = SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo());
            if (pins.Any(pin => CryptographicOperations.FixedTimeEquals(pin, actual)))
            {
                LastRefusal = null;
                return true;
            }

            LastRefusal = $"the server's public key (sha256 {Convert.ToBase64String(actual)}) matches none of the {pins.Count} pinned key(s)";
            return false;
        }
    }

    /// <summary>Refuses plain http to another machine before anything is sent, and names a failed pin.</summary>
    private sealed class Guard(PinCheck check) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } url && Problem(url) is { } problem)
            {
                throw new HttpRequestException($"refused: {problem}");
            }

            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (check.LastRefusal is { } refusal)
            {
                throw new HttpRequestException($"refused: {refusal}", e);
            }
        }
    }
}
