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

    /// <summary>Searches the global library's entries (for switching one off).</summary>
    [Get("/api/v1/library/entries")]
    Task<LibraryEntryPage> SearchLibraryAsync([Query] LibraryEntryQuery query, CancellationToken cancellationToken);

    [Get("/api/v1/schools/{schoolId}/library")]
    Task<SchoolLayerView> GetSchoolLayerAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>Adds the school's entry with this ID, or replaces it.</summary>
    [Put("/api/v1/schools/{schoolId}/library/entries/{id}")]
    Task<SchoolLayerView> SaveSchoolEntryAsync(string schoolId, string id, [Body] SchoolEntry entry, CancellationToken cancellationToken);

    [Delete("/api/v1/schools/{schoolId}/library/entries/{id}")]
    Task<SchoolLayerView> RemoveSchoolEntryAsync(string schoolId, string id, CancellationToken cancellationToken);

    /// <summary>Switches a global entry off for the school.</summary>
    [Put("/api/v1/schools/{schoolId}/library/disabled/{globalId}")]
    Task<SchoolLayerView> DisableGlobalEntryAsync(string schoolId, string globalId, CancellationToken cancellationToken);

    /// <summary>Switches a global entry back on for the school.</summary>
    [Delete("/api/v1/schools/{schoolId}/library/disabled/{globalId}")]
    Task<SchoolLayerView> EnableGlobalEntryAsync(string schoolId, string globalId, CancellationToken cancellationToken);

    /// <summary>The school's enrolled devices, revoked ones included.</summary>
    [Get("/api/v1/schools/{schoolId}/devices")]
    Task<IReadOnlyList<DeviceInfo>> ListDevicesAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>Revokes a device: its token stops working for uploads and library downloads.</summary>
    [Post("/api/v1/devices/{deviceId}/revoke")]
    Task<DeviceInfo> RevokeDeviceAsync(string deviceId, [Body] RevokeDeviceRequest request, CancellationToken cancellationToken);

    /// <summary>A school's devices' health: last heartbeat, versions, mode, backlog and the flags raised.</summary>
    [Get("/api/v1/schools/{schoolId}/fleet")]
    Task<FleetView> GetFleetAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>The flags raised now on devices of every school in the user's scope (the console's banner).</summary>
    [Get("/api/v1/fleet/alerts")]
    Task<IReadOnlyList<FleetAlert>> GetFleetAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Acknowledges a device alert by its <see cref="FleetAlert.Key"/> (audited); 409 when someone already has.</summary>
    [Post("/api/v1/fleet/alerts/{key}/acknowledge")]
    Task<FleetAlert> AcknowledgeFleetAlertAsync(string key, CancellationToken cancellationToken);

    [Get("/api/v1/incidents")]
    Task<IncidentPage> ListIncidentsAsync([Query] IncidentQuery query, CancellationToken cancellationToken);

    [Get("/api/v1/incidents/{id}")]
    Task<IncidentDetail> GetIncidentAsync(string id, CancellationToken cancellationToken);

    [Get("/api/v1/incidents/{id}/screenshot")]
    Task<HttpContent> GetScreenshotAsync(string id, CancellationToken cancellationToken);

    [Get("/api/v1/queue/counts")]
    Task<QueueCounts> GetQueueCountsAsync(CancellationToken cancellationToken);

    [Post("/api/v1/incidents/{id}/decision")]
    Task<WorkflowView> DecideAsync(string id, [Body] DecisionRequest decision, CancellationToken cancellationToken);

    /// <summary>Files a sentence the library missed, with its category (staff only).</summary>
    [Post("/api/v1/incidents/{id}/missed")]
    Task<MissedSentence> FileMissedAsync(string id, [Body] MissedSentenceRequest request, CancellationToken cancellationToken);

    [Post("/api/v1/incidents/{id}/reopen")]
    Task<WorkflowView> ReopenAsync(string id, [Body] ReopenRequest request, CancellationToken cancellationToken);

    /// <summary>The school's contact records what the school did; this closes the incident.</summary>
    [Post("/api/v1/incidents/{id}/response")]
    Task<WorkflowView> RespondAsync(string id, [Body] SchoolResponseRequest response, CancellationToken cancellationToken);

    /// <summary>The school's contact acknowledges an urgent alert in the console.</summary>
    [Post("/api/v1/incidents/{id}/acknowledge")]
    Task<WorkflowView> AcknowledgeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The anonymised report as a PDF encrypted with the school's report password.</summary>
    [Get("/api/v1/incidents/{id}/report")]
    Task<HttpContent> GetReportAsync(string id, CancellationToken cancellationToken);

    [Get("/api/v1/alerts")]
    Task<IReadOnlyList<AlertView>> ListOpenAlertsAsync(CancellationToken cancellationToken);

    [Get("/api/v1/schools/{schoolId}/retention")]
    Task<RetentionView> GetRetentionAsync(string schoolId, CancellationToken cancellationToken);

    [Put("/api/v1/schools/{schoolId}/retention")]
    Task<RetentionView> SetRetentionAsync(string schoolId, [Body] RetentionRequest request, CancellationToken cancellationToken);

    [Get("/api/v1/schools/{schoolId}/safeguarding")]
    Task<SafeguardingView> GetSafeguardingAsync(string schoolId, CancellationToken cancellationToken);

    [Put("/api/v1/schools/{schoolId}/contacts/{contactId}")]
    Task<SafeguardingView> SaveContactAsync(string schoolId, string contactId, [Body] ContactRequest contact, CancellationToken cancellationToken);

    [Delete("/api/v1/schools/{schoolId}/contacts/{contactId}")]
    Task<SafeguardingView> RemoveContactAsync(string schoolId, string contactId, CancellationToken cancellationToken);

    [Put("/api/v1/schools/{schoolId}/protocol")]
    Task<SafeguardingView> SaveProtocolAsync(string schoolId, [Body] Protocol protocol, CancellationToken cancellationToken);

    /// <summary>Makes a new report password for the school and shows it once.</summary>
    [Post("/api/v1/schools/{schoolId}/report-password")]
    Task<ReportPasswordIssued> IssueReportPasswordAsync(string schoolId, CancellationToken cancellationToken);

    [Get("/api/v1/proposals")]
    Task<IReadOnlyList<Proposal>> ListProposalsAsync(CancellationToken cancellationToken);

    [Post("/api/v1/proposals/{id}")]
    Task<Proposal> DecideProposalAsync(string id, [Body] ProposalDecision decision, CancellationToken cancellationToken);

    /// <summary>The dashboard; <c>from</c> and <c>to</c> are days written yyyy-MM-dd.</summary>
    [Get("/api/v1/dashboard")]
    Task<DashboardView> GetDashboardAsync([AliasAs("schoolId")] string? schoolId, [AliasAs("from")] string? fromDay, [AliasAs("to")] string? toDay,
        CancellationToken cancellationToken);
}
