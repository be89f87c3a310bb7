using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace eSafe.Server.Security;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (which protect the analysts' session cookies) encrypted on
/// disk under the server's data key, instead of as plain XML.
/// </summary>
public sealed class AtRestXmlEncryptor(AtRestCipher cipher) : IXmlEncryptor
{
    internal const string Purpose = "data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var blob = cipher.Encrypt(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose);
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the eSafe server's data key (keys/data.key). "),
            new XElement("value", Convert.ToBase64String(blob)));
        return new EncryptedXmlInfo(element, typeof(AtRestXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="AtRestXmlEncryptor"/> wrote; created by the data-protection system by type name.</summary>
public sealed class AtRestXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var cipher = services.GetRequiredService<AtRestCipher>();
        var blob = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        return XElement.Parse(cipher.DecryptText(blob, AtRestXmlEncryptor.Purpose));
    }
}
