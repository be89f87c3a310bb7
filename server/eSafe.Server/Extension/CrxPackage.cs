using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace eSafe.Server.Extension;

/// <summary>A CRX3 file checked as Chromium checks it: its ID (from the key that signed it), version and SHA-256.</summary>
public sealed record CrxPackage(string Id, string Version, string Sha256Hex, byte[] Bytes)
{
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>Reads and verifies a CRX3; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static CrxPackage Read(byte[] crx)
    {
        ArgumentNullException.ThrowIfNull(crx);
        if (crx.Length < 12 || !crx.AsSpan(0, 4).SequenceEqual(Crx3.Magic))
        {
            throw new InvalidDataException("not a CRX file (it does not start with Cr24)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(crx.AsSpan(4)) != Crx3.Version)
        {
            throw new InvalidDataException("not a CRX3 file (CRX2 is no longer installed by Chrome)");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(crx.AsSpan(8));
        if (headerLength > Crx3.MaxHeaderBytes || headerLength > (uint)(crx.Length - 12))
        {
            throw new InvalidDataException("the CRX header's length is impossible");
        }

        var header = crx.AsMemory(12, (int)headerLength);
        var zip = crx.AsMemory(12 + (int)headerLength);
        var fields = Protobuf.ReadFields(header).ToList();
        var signedHeaderData = fields.LastOrDefault(f => f.Number == Crx3.SignedHeaderDataField).Value;
        var crxId = Protobuf.ReadFields(signedHeaderData).LastOrDefault(f => f.Number == Crx3.CrxIdField).Value;
        if (crxId.Length != 16)
        {
            throw new InvalidDataException("the CRX header names no extension ID");
        }

        var signed = Crx3.SignaturePrefix(signedHeaderData.Span).Concat(zip.ToArray()).ToArray();
        var proofs = fields.Where(f => f.Number == Crx3.RsaProofField).Select(f => Proof(f.Value)).ToList();
        // As Chromium: the key whose hash is the ID must be among the proofs, and every proof must hold.
        if (!proofs.Any(p => ExtensionId.CrxId(p.PublicKey).AsSpan().SequenceEqual(crxId.Span)))
        {
            throw new InvalidDataException("no signature in the CRX is by the key its ID comes from");
        }

        foreach (var (publicKey, signature) in proofs)
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
            if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                throw new InvalidDataException("a signature in the CRX does not match its contents");
            }
        }

        return new CrxPackage(ExtensionId.FromCrxId(crxId.Span), ManifestVersion(zip), Convert.ToHexStringLower(SHA256.HashData(crx)), crx);
    }

    private static (byte[] PublicKey, byte[] Signature) Proof(ReadOnlyMemory<byte> proof)
    {
        var fields = Protobuf.ReadFields(proof).ToList();
        var key = fields.LastOrDefault(f => f.Number == Crx3.PublicKeyField).Value;
        var signature = fields.LastOrDefault(f => f.Number == Crx3.SignatureField).Value;
        if (key.IsEmpty || signature.IsEmpty)
        {
            throw new InvalidDataException("a CRX key proof lacks its key or signature");
        }

        return (key.ToArray(), signature.ToArray());
    }

    private static string ManifestVersion(ReadOnlyMemory<byte> zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip.ToArray(), writable: false), ZipArchiveMode.Read);
            var entry = archive.GetEntry("manifest.json") ?? throw new InvalidDataException("the CRX holds no manifest.json");
            using var manifest = entry.Open();
            using var json = JsonDocument.Parse(manifest);
            return json.RootElement.TryGetProperty("version", out var version) && version.GetString() is { Length: > 0 } text
                ? text
                : throw new InvalidDataException("the CRX's manifest.json has no version");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the CRX's manifest.json is not JSON: {e.Message}", e);
        }
    }
}
