using System.Text.Json.Nodes;
using Refit;

namespace eSafe.Server.Tests.Support;

/// <summary>The problem document (RFC 9457) of a refused call: its detail and, for a validation problem, the errors by field.</summary>
public sealed record ProblemDocument(string? Detail, Dictionary<string, string[]> Errors)
{
    public static ProblemDocument Of(ApiException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var problem = JsonNode.Parse(refused.Content!)!;
        var errors = problem["errors"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(e => e!.GetValue<string>()).ToArray())
            ?? [];
        return new ProblemDocument(problem["detail"]?.GetValue<string>(), errors);
    }
}
