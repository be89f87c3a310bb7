using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace eSafe.Server.Reports;

/// <summary>
/// Writes down A4 pages from the top: wrapped paragraphs and label–value rows, a new page when one is full (with
/// the caller's continuation header), and a footer with "page n of m" on every page once all are written.
/// </summary>
internal sealed class PageFlow : IDisposable
{
    public const double Margin = 54;
    private const double FooterSpace = 58;

    private readonly PdfDocument _document;
    private readonly Action<PageFlow>? _continuationHeader;
    private XGraphics _graphics = null!;

    public PageFlow(PdfDocument document, Action<PageFlow>? continuationHeader = null)
    {
        _document = document;
        _continuationHeader = continuationHeader;
        StartPage(first: true);
    }

    public XGraphics Graphics => _graphics;

    /// <summary>Where the next thing is drawn, in points from the top of the page.</summary>
    public double Y { get; set; }

    public static double Left => Margin;

    public double Width => _graphics.PageSize.Width - (2 * Margin);

    public double Right => Left + Width;

    private double Bottom => _graphics.PageSize.Height - Margin - FooterSpace;

    public void NewPage()
    {
        _graphics.Dispose();
        StartPage(first: false);
    }

    /// <summary>Starts a new page when <paramref name="height"/> points no longer fit on this one.</summary>
    public void EnsureRoom(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
        }
    }

    public void Gap(double points) => Y += points;

    /// <summary>Wrapped text across the width (less <paramref name="indent"/>), breaking to new pages between lines.</summary>
    public void Paragraph(string text, XFont font, XBrush brush, double indent = 0)
    {
        var lineHeight = LineHeight(font);
        foreach (var line in Wrap(text, font, Width - indent))
        {
            EnsureRoom(lineHeight);
            _graphics.DrawString(line, font, brush, Left + indent, Y, XStringFormats.TopLeft);
            Y += lineHeight;
        }
    }

    /// <summary>A label in a column of its own and its value wrapped beside it, kept together on one page.</summary>
    public void Row(string label, string value, XFont labelFont, XFont valueFont, double labelWidth)
    {
        var lineHeight = LineHeight(valueFont);
        var lines = Wrap(value, valueFont, Width - labelWidth);
        EnsureRoom(lines.Count * lineHeight);
        _graphics.DrawString(label, labelFont, ReportStyle.Muted, Left, Y + 0.5, XStringFormats.TopLeft);
        foreach (var line in lines)
        {
            _graphics.DrawString(line, valueFont, ReportStyle.Ink, Left + labelWidth, Y, XStringFormats.TopLeft);
            Y += lineHeight;
        }

        Y += 3;
    }

    /// <summary>A bold heading with a rule under it, never left alone at the foot of a page.</summary>
    public void Heading(string text)
    {
        EnsureRoom(ReportStyle.Heading.GetHeight() + 40);
        Y += 8;
        _graphics.DrawString(text, ReportStyle.Heading, ReportStyle.Ink, Left, Y, XStringFormats.TopLeft);
        Y += ReportStyle.Heading.GetHeight() + 2;
        _graphics.DrawLine(ReportStyle.Rule, Left, Y, Right, Y);
        Y += 6;
    }

    public static double LineHeight(XFont font) => font.GetHeight() * 1.12;

    public IReadOnlyList<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(candidate, font) <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                line = word;
                // A word wider than the column (a long ID or address) is broken where it must be.
                while (Measure(line, font) > width && line.Length > 1)
                {
                    var fit = line.Length - 1;
                    while (fit > 1 && Measure(line[..fit], font) > width)
                    {
                        fit--;
                    }

                    lines.Add(line[..fit]);
                    line = line[fit..];
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    public double Measure(string text, XFont font) => _graphics.MeasureString(text, font).Width;

    /// <summary>Closes the last page and draws <paramref name="footer"/> and "Page n of m" on every page.</summary>
    public void Finish(string footer, string pageLabelPrefix)
    {
        _graphics.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var top = page.Height.Point - Margin - FooterSpace + 14;
            var width = page.Width.Point - (2 * Margin);
            graphics.DrawLine(ReportStyle.Rule, Margin, top, Margin + width, top);
            var y = top + 5;
            var pageLabel = $"{pageLabelPrefix} · page {i + 1} of {count}";
            var labelWidth = graphics.MeasureString(pageLabel, ReportStyle.Small).Width;
            foreach (var line in WrapFor(graphics, footer, ReportStyle.Small, width - labelWidth - 18))
            {
                graphics.DrawString(line, ReportStyle.Small, ReportStyle.Muted, Margin, y, XStringFormats.TopLeft);
                y += LineHeight(ReportStyle.Small);
            }

            graphics.DrawString(pageLabel, ReportStyle.Small, ReportStyle.Muted, Margin + width, top + 5, XStringFormats.TopRight);
        }
    }

    public void Dispose() => _graphics.Dispose();

    private IReadOnlyList<string> WrapFor(XGraphics graphics, string text, XFont font, double width)
    {
        var saved = _graphics;
        _graphics = graphics;
        try
        {
            return Wrap(text, font, width);
        }
        finally
        {
            _graphics = saved;
        }
    }

    private void StartPage(bool first)
    {
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        Y = Margin;
        if (!first)
        {
            _continuationHeader?.Invoke(this);
        }
    }
}
