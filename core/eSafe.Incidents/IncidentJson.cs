using System.Text.Json;
using System.Text.Json.Serialization;

namespace eSafe.Incidents;

/// <summary>The one JSON shape of incidents and envelopes, source-generated so the Native AOT host can use it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(SealedIncident))]
[JsonSerializable(typeof(TextEvent))]
public sealed partial class IncidentJson : JsonSerializerContext;
