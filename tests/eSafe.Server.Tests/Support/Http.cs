using System.Net;
using System.Net.Http.Json;

namespace eSafe.Server.Tests.Support;

/// <summary>Raw requests to a test server: a login that returns the response, and a session cookie copied by hand.</summary>
public static class Http
{
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string username, string password, Action<HttpRequestMessage>? decorate = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { username, password }) };
        decorate?.Invoke(request);
        return await http.SendAsync(request);
    }

    /// <summary>The session cookie's value from a login response.</summary>
    public static string SessionCookie(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("esafe_session=", StringComparison.Ordinal));
        return header["esafe_session=".Length..header.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>GET /api/v1/auth/me with a copied cookie and nothing else: what someone holding a stolen cookie gets.</summary>
    public static async Task<HttpStatusCode> ReplayAsync(ServerHarness server, string cookie, string path = "/api/v1/auth/me")
    {
        ArgumentNullException.ThrowIfNull(server);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", "esafe_session=" + cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
