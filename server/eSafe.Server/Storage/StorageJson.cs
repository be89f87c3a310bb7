using System.Text.Json;
using System.Text.Json.Serialization;
using eSafe.Contracts.Http;
using eSafe.Incidents;

namespace eSafe.Server.Storage;

/// <summary>What is encrypted of an incident: everything but the fields that queries need.</summary>
public sealed record IncidentContents(Incident Incident, string? ServerSeenAddress, bool HasScreenshot);

/// <summary>What is encrypted of a device record.</summary>
public sealed record DeviceContents(string MachineName, string? EnrolledFrom);

/// <summary>The JSON of what the server keeps inside its encrypted blobs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IncidentContents))]
[JsonSerializable(typeof(DeviceContents))]
[JsonSerializable(typeof(IncidentWorkflow))]
[JsonSerializable(typeof(SafeguardingRecord))]
[JsonSerializable(typeof(Proposal))]
[JsonSerializable(typeof(MissedSentence))]
public sealed partial class StorageJson : JsonSerializerContext;
