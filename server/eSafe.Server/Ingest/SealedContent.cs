using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using eSafe.Incidents;
using eSafe.Server.Security;

namespace eSafe.Server.Ingest;

/// <summary>
/// Opens what a device sealed to this server's key (an incident, a Chromebook's batch of text, its screenshot:
/// one envelope, docs/PROTOCOL.md) and reads the JSON inside; the plaintext is wiped once read.
/// </summary>
public sealed class SealedContent(SealingKeyRing keys)
{
    /// <summary>The content, or null and a problem that says what is wrong without quoting it.</summary>
    public (T? Value, string? Problem) Open<T>(SealedIncident envelope, JsonTypeInfo<T> type, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Version != IncidentSealer.CurrentVersion)
        {
            return (null, $"Envelope version {envelope.Version} is not supported; this server opens version {IncidentSealer.CurrentVersion}.");
        }

        if (IncidentSealer.Malformed(envelope) is { } malformed)
        {
            return (null, $"The {what} cannot be opened: its envelope is malformed ({malformed}).");
        }

        // The plaintext (the incident's JSON, its screenshot in base64: over 100 KB) goes into a pooled buffer, wiped before
        // it goes back; the key is one imported once and leased (SealingKeyRing).
        var size = IncidentSealer.PlaintextLength(envelope);
        var json = ArrayPool<byte>.Shared.Rent(size);
        var length = 0;
        try
        {
            using (var privateKey = keys.RentPrivateKey(envelope.KeyId))
            {
                if (privateKey.Key is null)
                {
                    return (null, $"The {what} cannot be opened: it is sealed to a key this server does not have; the current key is {keys.Current.KeyId}.");
                }

                try
                {
                    length = IncidentSealer.OpenInto(envelope, privateKey.Key, json);
                }
                catch (CryptographicException)
                {
                    return (null, $"The {what} cannot be opened: it was not sealed to this server's key, or it was changed on the way.");
                }
            }

            try
            {
                return JsonSerializer.Deserialize(json.AsSpan(0, length), type) is { } value ? (value, null) : (null, $"The sealed content is not {Article(what)}.");
            }
            catch (JsonException e)
            {
                var where = string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})";
                return (null, $"The sealed content is not {Article(what)}{where}.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json.AsSpan(0, size));
            ArrayPool<byte>.Shared.Return(json);
        }
    }

    private static string Article(string what) => (what[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + what;
}
