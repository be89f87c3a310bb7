using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// Serves the test's pages on 127.0.0.1, as a school's web would: the Pages folder copied next to the
/// test assembly, then the same folder in the source tree (for what is not copied: the editors'
/// node_modules, installed by <c>npm ci</c> in build.cake's Test target). Subfolders are served; a path
/// that would leave a root (<c>..</c>, an encoded separator, a rooted path) is a 404. Any Host header is
/// answered, so Chromium's <c>--host-resolver-rules</c> can point a public name at this server; with
/// <c>https</c> it serves TLS with a self-signed certificate made for the run (the browser must accept any
/// certificate), for names the browser only reaches over https (HSTS-preloaded ones such as www.youtube.com).
/// </summary>
public sealed class PageServer : IDisposable
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".map"] = "application/json",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly WebApplication _app;
    private readonly string[] _roots;
    private readonly string? _fallback;

    /// <param name="fallback">A page (relative to Pages) served for every path that names no file, e.g. a search engine's results page.</param>
    /// <param name="https">TLS with a self-signed certificate.</param>
    public PageServer(string? fallback = null, bool https = false)
    {
        _roots = new[]
            {
                Path.Combine(AppContext.BaseDirectory, "Pages"),
                Path.Combine(RepositoryLayout.Root, "tests", "eSafe.EndToEnd.Tests", "Pages"),
            }
            .Where(Directory.Exists)
            .Select(root => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _fallback = fallback;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = https ? SelfSignedCertificate() : null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Urls.Single();
        Url = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>http://127.0.0.1:PORT/ (or https://) — another port is another origin.</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>The page's URL on this server, with a query string (the test's own mark, so its incidents can be told apart).</summary>
    public Uri Page(string relativePath, string? query = null) =>
        new(Url, query is null ? relativePath : $"{relativePath}?{query}");

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The file a request path names under one of the roots, or null. Never a file outside them.</summary>
    public string? Resolve(string requestPath)
    {
        var relative = Uri.UnescapeDataString(requestPath).TrimStart('/');
        if (relative.Length == 0 || relative.Contains('\\', StringComparison.Ordinal) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = relative.Split('/');
        if (segments.Any(s => s is "" or "." or ".." || s.Contains(':', StringComparison.Ordinal)))
        {
            return null;
        }

        foreach (var root in _roots)
        {
            var full = Path.GetFullPath(Path.Combine(root, Path.Combine(segments)));
            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full))
            {
                return full;
            }
        }

        return null;
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=eSafe end-to-end test pages", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so that the private key is usable by TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        var file = Resolve(context.Request.Path.Value ?? "") ?? (_fallback is null ? null : Resolve(_fallback));
        if (file is null || !HttpMethods.IsGet(context.Request.Method))
        {
            response.StatusCode = file is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed;
            return;
        }

        response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        response.Headers.CacheControl = "no-store";
        await response.SendFileAsync(file, context.RequestAborted);
    }
}
