using System.Buffers.Binary;
using System.Text;

namespace eSafe.Incidents;

/// <summary>
/// The binary form of a version 2 envelope (docs/PROTOCOL.md §2, "Envelope version 2"), sent as
/// <see cref="MediaType"/>: a fixed 16-byte header, then the incident ID, key ID, ephemeral public key, nonce and
/// ciphertext. <see cref="Parse"/> reads one in place: every length is checked against the body before it is used, and a
/// body that is not exactly one envelope gets a problem naming what is wrong.
/// </summary>
/// <param name="EphemeralPublicKey">SubjectPublicKeyInfo DER, in the body read.</param>
/// <param name="Nonce">12 bytes, in the body read.</param>
/// <param name="Ciphertext">The binary plaintext (<see cref="IncidentPlaintext"/>) encrypted, tag last, in the body read: it can be opened in place.</param>
public sealed record BinaryEnvelope(string IncidentId, string KeyId, ReadOnlyMemory<byte> EphemeralPublicKey, ReadOnlyMemory<byte> Nonce,
    Memory<byte> Ciphertext)
{
    public const string MediaType = "application/vnd.esafe.sealed-incident";
    public const int HeaderSize = 16;
    public const int MaxKeyIdLength = 64;
    public const int MaxEphemeralKeyLength = 1024;

    /// <summary>"ESIE": eSafe incident envelope.</summary>
    public static ReadOnlySpan<byte> Magic => "ESIE"u8;

    /// <summary>
    /// Reads a binary envelope from <paramref name="body"/> (the whole body, at most <paramref name="maxBytes"/>); its byte
    /// fields point into it. Null and a problem for anything that is not exactly one version 2 envelope.
    /// </summary>
    public static BinaryEnvelope? Parse(Memory<byte> body, int maxBytes, out string? problem)
    {
        var span = body.Span;
        problem = body.Length > maxBytes ? $"the envelope is larger than {maxBytes} bytes"
            : span.Length < HeaderSize ? $"the body is {span.Length} bytes, shorter than the {HeaderSize}-byte header"
            : !span[..4].SequenceEqual(Magic) ? "the body does not start with the envelope's magic \"ESIE\""
            : span[4] != IncidentSealer.BinaryVersion ? $"envelope version {span[4]} is not supported in the binary form; this server opens version {IncidentSealer.BinaryVersion}"
            : span[5] != 0 || span[11] != 0 ? "the header's reserved bytes are not zero"
            : null;
        if (problem is not null)
        {
            return null;
        }

        int idLength = span[6], keyIdLength = span[7], nonceLength = span[10];
        int ephemeralLength = BinaryPrimitives.ReadUInt16BigEndian(span[8..]);
        var ciphertextLength = BinaryPrimitives.ReadUInt32BigEndian(span[12..]);
        // In long: five lengths that each fit may still add up past int.
        var total = (long)HeaderSize + idLength + keyIdLength + ephemeralLength + nonceLength + ciphertextLength;
        problem = idLength != Incidents.IncidentId.Length ? $"the incident ID's length is {idLength}, not {Incidents.IncidentId.Length}"
            : keyIdLength is 0 or > MaxKeyIdLength ? $"the key ID's length is {keyIdLength}, not 1 to {MaxKeyIdLength}"
            : ephemeralLength is 0 or > MaxEphemeralKeyLength ? $"the ephemeral key's length is {ephemeralLength}, not 1 to {MaxEphemeralKeyLength}"
            : nonceLength != IncidentSealer.NonceSize ? $"the nonce's length is {nonceLength}, not {IncidentSealer.NonceSize}"
            : ciphertextLength < IncidentSealer.TagSize ? $"the ciphertext's length is {ciphertextLength}, shorter than its {IncidentSealer.TagSize}-byte tag"
            : total > span.Length ? $"the lengths in the header add up to {total} bytes, past the end of the {span.Length}-byte body"
            : total < span.Length ? $"{span.Length - total} bytes follow the envelope"
            : null;
        if (problem is not null)
        {
            return null;
        }

        var at = HeaderSize;
        var incidentId = Ascii(span.Slice(at, idLength));
        at += idLength;
        var keyId = Ascii(span.Slice(at, keyIdLength));
        at += keyIdLength;
        problem = incidentId is null || !Incidents.IncidentId.IsValid(incidentId) ? "the incident ID is not a 26-character incident ID"
            : keyId is null || string.IsNullOrWhiteSpace(keyId) ? "the key ID is not printable ASCII"
            : null;
        if (problem is not null)
        {
            return null;
        }

        var ephemeral = body.Slice(at, ephemeralLength);
        at += ephemeralLength;
        var nonce = body.Slice(at, nonceLength);
        at += nonceLength;
        return new BinaryEnvelope(incidentId!, keyId!, ephemeral, nonce, body.Slice(at, (int)ciphertextLength));
    }

    /// <summary>Writes a version 2 envelope in its binary form.</summary>
    public static byte[] Encode(SealedIncident envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Version != IncidentSealer.BinaryVersion)
        {
            throw new ArgumentException($"Only version {IncidentSealer.BinaryVersion} envelopes have a binary form.", nameof(envelope));
        }

        if (IncidentSealer.Malformed(envelope) is not null || Ascii(Encoding.ASCII.GetBytes(envelope.KeyId)) != envelope.KeyId)
        {
            throw new ArgumentException("The envelope is malformed.", nameof(envelope));
        }

        var body = new byte[HeaderSize + envelope.IncidentId.Length + envelope.KeyId.Length + envelope.EphemeralPublicKey.Length
                            + envelope.Nonce.Length + envelope.Ciphertext.Length];
        var span = body.AsSpan();
        Magic.CopyTo(span);
        span[4] = IncidentSealer.BinaryVersion;
        span[6] = (byte)envelope.IncidentId.Length;
        span[7] = (byte)envelope.KeyId.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)envelope.EphemeralPublicKey.Length);
        span[10] = (byte)envelope.Nonce.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], (uint)envelope.Ciphertext.Length);
        var at = HeaderSize;
        at += Encoding.ASCII.GetBytes(envelope.IncidentId, span[at..]);
        at += Encoding.ASCII.GetBytes(envelope.KeyId, span[at..]);
        envelope.EphemeralPublicKey.CopyTo(span[at..]);
        at += envelope.EphemeralPublicKey.Length;
        envelope.Nonce.CopyTo(span[at..]);
        at += envelope.Nonce.Length;
        envelope.Ciphertext.CopyTo(span[at..]);
        return body;
    }

    /// <summary>The envelope as a <see cref="SealedIncident"/> of its own (copies of its bytes).</summary>
    public SealedIncident ToSealedIncident() =>
        new(IncidentSealer.BinaryVersion, IncidentId, KeyId, EphemeralPublicKey.ToArray(), Nonce.ToArray(), Ciphertext.ToArray());

    // Printable ASCII only (the IDs are), so that no byte sequence reads as a different string.
    private static string? Ascii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }
}
