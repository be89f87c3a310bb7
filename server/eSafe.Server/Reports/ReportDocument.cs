using PdfSharp.Pdf;

namespace eSafe.Server.Reports;

/// <summary>The PDF document every report is drawn into, and its bytes when done.</summary>
internal static class ReportDocument
{
    /// <exception cref="ArgumentException">The password cannot protect a report.</exception>
    public static PdfDocument New(string title, string password)
    {
        var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "eSafe";
        // PDFsharp's compressed page streams end in a way qpdf --check warns about; they are small, and encrypted anyway.
        document.Options.CompressContentStreams = false;
        try
        {
            ReportEncryption.Apply(document, password);
        }
        catch
        {
            document.Dispose();
            throw;
        }

        return document;
    }

    public static byte[] Save(PdfDocument document)
    {
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
