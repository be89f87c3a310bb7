using System.Net;

namespace eSafe.Server.Web;

public static class ClientAddress
{
    /// <summary>
    /// The address the request came from, as this server saw it (IPv4 shown as IPv4). Forwarded headers are
    /// not trusted: behind a reverse proxy this is the proxy's address until the proxy is configured as trusted.
    /// </summary>
    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
    }

    /// <summary>True for a URL on this machine only (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
}
