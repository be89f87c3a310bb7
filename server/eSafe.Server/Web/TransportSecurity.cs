using System.Net;
using System.Security.Authentication;
using eSafe.Server.Security;
using Microsoft.AspNetCore.HttpOverrides;

namespace eSafe.Server.Web;

/// <summary>
/// TLS served by the server itself (TLS 1.2 and 1.3 only, HSTS), and the reverse proxies whose forwarded
/// headers it believes. See docs/DEPLOYMENT.md and docs/SECURITY.md.
/// </summary>
public static class TransportSecurity
{
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static WebApplicationBuilder AddTransportSecurity(this WebApplicationBuilder builder, ServerOptions options, string keysDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var certificate = TlsCertificates.Find(options, keysDirectory, options.Clock);
        if (certificate is not null)
        {
            builder.Services.AddSingleton(certificate);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate.Certificate;
                https.SslProtocols = Protocols;
            }));
        }

        // UseHsts leaves out localhost, 127.0.0.1 and [::1] by default. HSTS for "localhost" would stick in a browser for
        // every local port, so that stays out; browsers ignore HSTS from IP literals (RFC 6797 §8.1), so those may have it.
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = HstsMaxAge;
            hsts.ExcludedHosts.Remove("127.0.0.1");
            hsts.ExcludedHosts.Remove("[::1]");
        });

        var (proxies, networks) = TrustedProxies(options.TrustedProxies);
        if (proxies.Count + networks.Count > 0)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                // The defaults trust loopback; only what was configured counts. Each hop is believed only while it comes from a trusted proxy.
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                forwarded.ForwardLimit = null;
                proxies.ForEach(forwarded.KnownProxies.Add);
                networks.ForEach(forwarded.KnownIPNetworks.Add);
            });
        }

        return builder;
    }

    /// <summary>First in the pipeline: the forwarded headers of trusted proxies (none without --trusted-proxy: with no known proxy the middleware would trust anyone).</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>Addresses and networks as given to --trusted-proxy (IPv4 ones also in their IPv6-mapped form, as a dual-stack socket sees them).</summary>
    public static (List<IPAddress> Proxies, List<System.Net.IPNetwork> Networks) TrustedProxies(IEnumerable<string> given)
    {
        ArgumentNullException.ThrowIfNull(given);
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var text in given.Select(g => g.Trim()))
        {
            if (text.Contains('/', StringComparison.Ordinal))
            {
                if (!System.Net.IPNetwork.TryParse(text, out var network))
                {
                    throw new ServerSetupException($"--trusted-proxy {text} is not a network in CIDR form (like 10.0.0.0/8 or fd00::/8).");
                }

                networks.Add(network);
                if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    networks.Add(new System.Net.IPNetwork(network.BaseAddress.MapToIPv6(), 96 + network.PrefixLength));
                }
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                proxies.Add(address);
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    proxies.Add(address.MapToIPv6());
                }
            }
            else
            {
                throw new ServerSetupException($"--trusted-proxy {text} is not an IP address or a CIDR network.");
            }
        }

        return (proxies, networks);
    }
}
