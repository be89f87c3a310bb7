using System.Text.Json.Serialization;

namespace eSafe.Host.Installation;

/// <summary>The native messaging host manifest, as Chrome reads it.</summary>
public sealed record HostManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("allowed_origins")] IReadOnlyList<string> AllowedOrigins);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(HostManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
