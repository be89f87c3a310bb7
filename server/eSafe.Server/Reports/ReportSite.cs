namespace eSafe.Server.Reports;

/// <summary>What a report says about the page: its scheme and host, unless the analyst decided the full address is needed.</summary>
public static class ReportSite
{
    /// <summary>
    /// "https://forum.example.org" for "https://forum.example.org/t/123?user=jo.bloggs", so no path or query string
    /// (which can carry a name or an email) reaches a report; the full address only when <paramref name="keepFullAddress"/>.
    /// Null for no address or one that is not an absolute http(s) address.
    /// </summary>
    public static string? Of(string? url, bool keepFullAddress = false)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        if (!keepFullAddress)
        {
            return $"{uri.Scheme}://{uri.Authority}"; // Authority is host and port, never the user-info part
        }

        return uri.UserInfo.Length == 0 ? uri.AbsoluteUri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
    }
}
