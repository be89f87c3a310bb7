using System.Text.Json;
using System.Text.Json.Serialization;
using eSafe.Server.Security;

namespace eSafe.Server.Seeding;

/// <summary>What <c>demo.json</c> holds, so newcomers and tests can find the demo school and analyst.</summary>
public sealed record DemoCredentials(
    string Url,
    string SchoolId,
    string SchoolName,
    string EnrolmentCode,
    string AnalystUsername,
    string AnalystPassword,
    string? ContactUsername = null,
    string? ContactPassword = null,
    string? ReportPassword = null)
{
    /// <summary>Reads demo.json; null when it is missing or not readable.</summary>
    public static DemoCredentials? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), DemoJson.Default.DemoCredentials) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes demo.json (mode 600).</summary>
    public void Write(string path)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, DemoJson.Default.DemoCredentials);
        SecureFiles.Write(path, [.. json, (byte)'\n'], overwrite: true);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(DemoCredentials))]
public sealed partial class DemoJson : JsonSerializerContext;
