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
public sealed class SealedContent(SealingKeyRing keys, TimeProvider clock)
{
    private readonly EnvelopeKeyCache _opened = new(clock);

    /// <summary>The keys of envelopes opened lately (a Chromebook's sealing session: one ECDH for many batches).</summary>
    public EnvelopeKeyCache OpenedKeys => _opened;

    /// <summary>The content, or null and a problem that says what is wrong without quoting it.</summary>
    public (T? Value, string? Problem) Open<T>(SealedIncident envelope, JsonTypeInfo<T> type, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Version != IncidentSealer.CurrentVersion)
        {
            return (null, $"Envelope version {envelope.Version} is not supported in JSON; this server opens version {IncidentSealer.CurrentVersion} as JSON "
                + $"and version {IncidentSealer.BinaryVersion} as {BinaryEnvelope.MediaType}.");
        }

        if (IncidentSealer.Malformed(envelope) is { } malformed)
        {
            return (null, $"The {what} cannot be opened: its envelope is malformed ({malformed}).");
        }

        // The plaintext (the incident's JSON, its screenshot in base64: over 100 KB) goes into a pooled buffer, wiped before
        // it goes back.
        var size = IncidentSealer.PlaintextLength(envelope);
        var json = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            if (OpenInto(envelope, json, what) is { } notOpened)
            {
                return (null, notOpened);
            }

            try
            {
                return JsonSerializer.Deserialize(json.AsSpan(0, size), type) is { } value ? (value, null) : (null, $"The sealed content is not {Article(what)}.");
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

    /// <summary>
    /// Opens a version 2 envelope in place (its ciphertext, in the request's pooled body, becomes the plaintext, wiped with
    /// the body) and reads the incident, its screenshot taken as bytes. Null and a problem that says what is wrong without
    /// quoting it. Its keys are not cached: hosts seal every incident under a one-use key.
    /// </summary>
    public (Incident? Value, string? Problem) OpenIncident(BinaryEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!keys.Has(envelope.KeyId))
        {
            return (null, $"The incident cannot be opened: it is sealed to a key this server does not have; the current key is {keys.Current.KeyId}.");
        }

        int length;
        byte[]? key = null;
        try
        {
            using (var privateKey = keys.RentPrivateKey(envelope.KeyId))
            {
                key = IncidentSealer.DeriveOpeningKey(IncidentSealer.BinaryVersion, envelope.KeyId, envelope.EphemeralPublicKey.Span, privateKey.Key!);
            }

            length = IncidentSealer.OpenWithKey(IncidentSealer.BinaryVersion, envelope.IncidentId, envelope.KeyId, envelope.Nonce.Span,
                envelope.Ciphertext.Span, key, envelope.Ciphertext.Span);
        }
        catch (CryptographicException)
        {
            // A failed open leaves nothing readable: AES-GCM clears what it wrote when the tag does not match.
            return (null, "The incident cannot be opened: it was not sealed to this server's key, or it was changed on the way.");
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        var incident = IncidentPlaintext.Read(envelope.Ciphertext.Span[..length], out var problem);
        return incident is null ? (null, $"The incident cannot be read: {problem}.") : (incident, null);
    }

    // The envelope's AES key from the cache when this process opened an envelope under the same key ID and ephemeral key
    // lately, else by ECDH with a leased private key (imported once, SealingKeyRing); kept only once it has opened this one.
    private string? OpenInto(SealedIncident envelope, byte[] plaintext, string what)
    {
        if (!keys.Has(envelope.KeyId))
        {
            return $"The {what} cannot be opened: it is sealed to a key this server does not have; the current key is {keys.Current.KeyId}.";
        }

        Span<byte> key = stackalloc byte[EnvelopeKeyCache.KeySize];
        try
        {
            var cached = _opened.TryGet(envelope.KeyId, envelope.EphemeralPublicKey, key);
            if (!cached)
            {
                using var privateKey = keys.RentPrivateKey(envelope.KeyId);
                var derived = IncidentSealer.DeriveOpeningKey(envelope, privateKey.Key!);
                derived.CopyTo(key);
                CryptographicOperations.ZeroMemory(derived);
            }

            IncidentSealer.OpenWithKey(envelope, key, plaintext);
            if (!cached)
            {
                _opened.Add(envelope.KeyId, envelope.EphemeralPublicKey, key);
            }

            return null;
        }
        catch (CryptographicException)
        {
            return $"The {what} cannot be opened: it was not sealed to this server's key, or it was changed on the way.";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static string Article(string what) => (what[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + what;
}
