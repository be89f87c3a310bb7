using System.Buffers.Binary;
using System.Text;

namespace eSafe.Server.Extension;

/// <summary>
/// The CRX3 format, as Chromium's components/crx_file/crx3.proto and crx_verifier.cc define it:
/// <c>"Cr24"</c>, version 3, the header's length, a <c>CrxFileHeader</c>, then the zip. Every proof signs
/// <c>"CRX3 SignedData\0"</c> + the signed header data's length + the signed header data + the zip.
/// </summary>
internal static class Crx3
{
    public static ReadOnlySpan<byte> Magic => "Cr24"u8;

    public const uint Version = 3;

    /// <summary>CrxFileHeader: repeated AsymmetricKeyProof sha256_with_rsa = 2.</summary>
    public const int RsaProofField = 2;

    /// <summary>CrxFileHeader: repeated AsymmetricKeyProof sha256_with_ecdsa = 3.</summary>
    public const int EcdsaProofField = 3;

    /// <summary>CrxFileHeader: bytes signed_header_data = 10000 (a serialised SignedData).</summary>
    public const int SignedHeaderDataField = 10000;

    /// <summary>AsymmetricKeyProof: bytes public_key = 1 (DER SubjectPublicKeyInfo), bytes signature = 2.</summary>
    public const int PublicKeyField = 1;
    public const int SignatureField = 2;

    /// <summary>SignedData: bytes crx_id = 1 (16 bytes).</summary>
    public const int CrxIdField = 1;

    /// <summary>A header larger than this is not one Chrome would write (it holds a few keys and signatures).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>What each proof signs, ahead of the zip itself.</summary>
    public static byte[] SignaturePrefix(ReadOnlySpan<byte> signedHeaderData)
    {
        var label = Encoding.ASCII.GetBytes("CRX3 SignedData\0");
        var prefix = new byte[label.Length + 4 + signedHeaderData.Length];
        label.CopyTo(prefix, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(label.Length), (uint)signedHeaderData.Length);
        signedHeaderData.CopyTo(prefix.AsSpan(label.Length + 4));
        return prefix;
    }
}
