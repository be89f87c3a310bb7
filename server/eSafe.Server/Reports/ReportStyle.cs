using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace eSafe.Server.Reports;

/// <summary>The reports' fonts, inks and the header band both kinds of report start with.</summary>
internal static class ReportStyle
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    // New brushes and pens each time: PDFsharp objects are not promised to be safe to share between threads.

    public static XBrush Ink => new XSolidBrush(XColor.FromArgb(0x1F, 0x23, 0x28));
    public static XBrush Muted => new XSolidBrush(XColor.FromArgb(0x5A, 0x63, 0x6E));
    public static XBrush White => XBrushes.White;
    public static XBrush Band => new XSolidBrush(XColor.FromArgb(0x1D, 0x3B, 0x57));
    public static XBrush Sample => new XSolidBrush(XColor.FromArgb(0xB0, 0x00, 0x20));
    public static XPen Rule => new(XColor.FromArgb(0xC8, 0xCE, 0xD6), 0.6);

    public static XFont Title => Font(19, bold: true);
    public static XFont Subtitle => Font(9, bold: false);
    public static XFont School => Font(15, bold: true);
    public static XFont Heading => Font(11.5, bold: true);
    public static XFont Label => Font(9, bold: true);
    public static XFont Body => Font(10, bold: false);
    public static XFont BodyBold => Font(10, bold: true);
    public static XFont Badge => Font(12, bold: true);
    public static XFont Small => Font(7.5, bold: false);
    public static XFont SmallBold => Font(8, bold: true);

    public static XFont Font(double size, bool bold) =>
        new(ReportFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);

    /// <summary>The dark band across the top of the first page: the title, and on a sample a red SAMPLE mark.</summary>
    public static void TitleBand(PageFlow flow, string title, bool sample)
    {
        const double height = 50;
        const double padding = 14;
        var g = flow.Graphics;
        g.DrawRectangle(Band, PageFlow.Left, flow.Y, flow.Width, height);
        var mark = sample ? "SAMPLE" : "CONFIDENTIAL";
        var markFont = sample ? Badge : SmallBold;
        var markWidth = g.MeasureString(mark, markFont).Width + (sample ? 16 : 0);
        if (sample)
        {
            g.DrawRectangle(Sample, flow.Right - padding - markWidth, flow.Y + 15, markWidth, 20);
            g.DrawString(mark, markFont, White, flow.Right - padding - (markWidth / 2), flow.Y + 17.5, XStringFormats.TopCenter);
        }
        else
        {
            g.DrawString(mark, markFont, White, flow.Right - padding, flow.Y + 10, XStringFormats.TopRight);
        }

        // The title shrinks rather than run under the mark.
        var room = flow.Width - (3 * padding) - markWidth;
        var titleFont = Title;
        for (var size = 19.0; size > 12 && g.MeasureString(title, titleFont).Width > room; size -= 0.5)
        {
            titleFont = Font(size - 0.5, bold: true);
        }

        g.DrawString(title, titleFont, White, PageFlow.Left + padding, flow.Y + 9, XStringFormats.TopLeft);
        g.DrawString(sample ? "eSafe safeguarding service · confidential" : "eSafe safeguarding service", Subtitle, White,
            PageFlow.Left + padding, flow.Y + 33, XStringFormats.TopLeft);
        flow.Y += height + 14;
    }

    /// <summary>A smaller line atop each further page, so a loose page still says what it belongs to.</summary>
    public static void ContinuationLine(PageFlow flow, string text)
    {
        flow.Graphics.DrawString(text, SmallBold, Muted, PageFlow.Left, flow.Y, XStringFormats.TopLeft);
        flow.Y += 12;
        flow.Graphics.DrawLine(Rule, PageFlow.Left, flow.Y, flow.Right, flow.Y);
        flow.Y += 10;
    }
}
