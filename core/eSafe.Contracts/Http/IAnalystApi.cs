using Refit;

namespace eSafe.Contracts.Http;

/// <summary>The server's API for analysts; authenticated by the session cookie that login sets.</summary>
public interface IAnalystApi
{
    [Post("/api/v1/auth/login")]
    Task<AnalystInfo> LoginAsync([Body] LoginRequest request, CancellationToken cancellationToken);

    [Post("/api/v1/auth/logout")]
    Task LogoutAsync(CancellationToken cancellationToken);

    [Get("/api/v1/schools")]
    Task<IReadOnlyList<SchoolInfo>> ListSchoolsAsync(CancellationToken cancellationToken);

    [Get("/api/v1/library")]
    Task<LibrarySummary> GetLibraryAsync(CancellationToken cancellationToken);

    [Get("/api/v1/incidents")]
    Task<IncidentPage> ListIncidentsAsync([Query] IncidentQuery query, CancellationToken cancellationToken);

    [Get("/api/v1/incidents/{id}")]
    Task<IncidentDetail> GetIncidentAsync(string id, CancellationToken cancellationToken);

    [Get("/api/v1/incidents/{id}/screenshot")]
    Task<HttpContent> GetScreenshotAsync(string id, CancellationToken cancellationToken);
}
