using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace eSafe.Server.Extension;

/// <summary>
/// Packs an unpacked extension folder into a CRX3 signed with the publisher's RSA key. The manifest's
/// <c>"key"</c> is set to that key's public half, so the packed and the unpacked extension have one ID.
/// </summary>
public static class CrxWriter
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the CRX; returns the extension's ID.</summary>
    public static string Pack(string sourceDirectory, RSA publisherKey, Stream output)
    {
        ArgumentNullException.ThrowIfNull(publisherKey);
        ArgumentNullException.ThrowIfNull(output);
        var publicKey = publisherKey.ExportSubjectPublicKeyInfo();
        var zip = Zip(sourceDirectory, Convert.ToBase64String(publicKey));

        using var signedData = new MemoryStream();
        Protobuf.WriteBytes(signedData, Crx3.CrxIdField, ExtensionId.CrxId(publicKey));
        var signedHeaderData = signedData.ToArray();

        var signed = Crx3.SignaturePrefix(signedHeaderData).Concat(zip).ToArray();
        var signature = publisherKey.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        using var proof = new MemoryStream();
        Protobuf.WriteBytes(proof, Crx3.PublicKeyField, publicKey);
        Protobuf.WriteBytes(proof, Crx3.SignatureField, signature);
        using var header = new MemoryStream();
        Protobuf.WriteBytes(header, Crx3.RsaProofField, proof.ToArray());
        Protobuf.WriteBytes(header, Crx3.SignedHeaderDataField, signedHeaderData);

        Span<byte> preamble = stackalloc byte[12];
        Crx3.Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[4..], Crx3.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], (uint)header.Length);
        output.Write(preamble);
        output.Write(header.ToArray());
        output.Write(zip);
        return ExtensionId.FromPublicKey(publicKey);
    }

    // Files in a fixed order with '/' separators; manifest.json gets the publisher's key.
    private static byte[] Zip(string sourceDirectory, string publicKeyBase64)
    {
        var root = Path.GetFullPath(sourceDirectory);
        var manifestPath = Path.Combine(root, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"{root} has no manifest.json: it is not an unpacked extension");
        }

        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                using var target = entry.Open();
                if (name == "manifest.json")
                {
                    target.Write(WithKey(File.ReadAllBytes(file), publicKeyBase64));
                }
                else
                {
                    using var source = File.OpenRead(file);
                    source.CopyTo(target);
                }
            }
        }

        return buffer.ToArray();
    }

    private static byte[] WithKey(byte[] manifest, string publicKeyBase64)
    {
        var json = JsonNode.Parse(manifest) as JsonObject ?? throw new InvalidDataException("manifest.json is not a JSON object");
        json["key"] = publicKeyBase64;
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(Indented));
    }
}
