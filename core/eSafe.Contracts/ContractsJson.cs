using System.Text.Json;
using System.Text.Json.Serialization;
using eSafe.Contracts.Http;
using eSafe.Contracts.Native;
using eSafe.Incidents;
using Refit;

namespace eSafe.Contracts;

/// <summary>The JSON of every wire message, source-generated so the Native AOT host needs no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(NativeMessage))]
[JsonSerializable(typeof(EnrolmentRequest))]
[JsonSerializable(typeof(EnrolmentResponse))]
[JsonSerializable(typeof(IngestReceipt))]
[JsonSerializable(typeof(SealedIncident))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(AnalystInfo))]
[JsonSerializable(typeof(IReadOnlyList<SchoolInfo>))]
[JsonSerializable(typeof(IncidentPage))]
[JsonSerializable(typeof(IncidentDetail))]
[JsonSerializable(typeof(IncidentQuery))]
[JsonSerializable(typeof(LibrarySummary))]
[JsonSerializable(typeof(LibraryVersions))]
[JsonSerializable(typeof(SchoolLayerPackage))]
[JsonSerializable(typeof(SchoolEntry))]
[JsonSerializable(typeof(SchoolLayerView))]
[JsonSerializable(typeof(LibraryEntryPage))]
[JsonSerializable(typeof(LibraryEntryQuery))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(ReopenRequest))]
[JsonSerializable(typeof(SchoolResponseRequest))]
[JsonSerializable(typeof(WorkflowView))]
[JsonSerializable(typeof(QueueCounts))]
[JsonSerializable(typeof(IReadOnlyList<AlertView>))]
[JsonSerializable(typeof(ContactRequest))]
[JsonSerializable(typeof(Protocol))]
[JsonSerializable(typeof(SafeguardingView))]
[JsonSerializable(typeof(RetentionView))]
[JsonSerializable(typeof(RetentionRequest))]
[JsonSerializable(typeof(ReportPasswordIssued))]
[JsonSerializable(typeof(IReadOnlyList<Proposal>))]
[JsonSerializable(typeof(Proposal))]
[JsonSerializable(typeof(ProposalDecision))]
[JsonSerializable(typeof(DashboardView))]
[JsonSerializable(typeof(IReadOnlyList<DeviceInfo>))]
[JsonSerializable(typeof(DeviceInfo))]
[JsonSerializable(typeof(RevokeDeviceRequest))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatReceipt))]
[JsonSerializable(typeof(FleetView))]
[JsonSerializable(typeof(IReadOnlyList<FleetAlert>))]
[JsonSerializable(typeof(DirectBatch))]
[JsonSerializable(typeof(DirectBatchReply))]
[JsonSerializable(typeof(DirectScreenshot))]
[JsonSerializable(typeof(MissedSentenceRequest))]
[JsonSerializable(typeof(MissedSentence))]
public sealed partial class ContractsJson : JsonSerializerContext
{
    /// <summary>Refit settings that use this context: the one way clients are configured.</summary>
    public static RefitSettings RefitSettings() => new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(
            new JsonSerializerOptions(Default.Options) { TypeInfoResolver = Default }),
    };
}
