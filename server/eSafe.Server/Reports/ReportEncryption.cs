using System.Security.Cryptography;
using PdfSharp.Pdf;

namespace eSafe.Server.Reports;

/// <summary>
/// AES-256 (PDF 2.0 standard security handler, revision 6). The user password is the school's report password;
/// the owner password is random per document and never kept, so nobody can lift the permissions: printing and
/// copying text out (into the school's own safeguarding record) allowed, changing the report not.
/// </summary>
public static class ReportEncryption
{
    public const int MinPasswordLength = 8;

    // Revision 6 uses at most 127 bytes of the password; printable ASCII keeps every reader agreeing on those bytes.
    public const int MaxPasswordLength = 127;

    /// <summary>Null when the password can protect a report, otherwise why not.</summary>
    public static string? ProblemWith(string? password)
    {
        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            return $"The report password must be {MinPasswordLength} to {MaxPasswordLength} characters long.";
        }

        return password.All(c => c is >= ' ' and <= '~')
            ? null
            : "The report password may hold only printable ASCII characters (letters, digits, punctuation and spaces).";
    }

    internal static void Apply(PdfDocument document, string password)
    {
        var problem = ProblemWith(password);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(password));
        }

        var settings = document.SecuritySettings;
        settings.UserPassword = password;
        settings.OwnerPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        document.SecurityHandler.SetEncryptionToV5();
        settings.PermitPrint = true;
        settings.PermitFullQualityPrint = true;
        settings.PermitExtractContent = true;
        settings.PermitModifyDocument = false;
        settings.PermitAnnotations = false;
        settings.PermitFormsFill = false;
        settings.PermitAssembleDocument = false;
    }
}
