using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace eSafe.Server.Reports;

/// <summary>
/// The reports' typeface: DejaVu Sans, embedded in the server (Fonts/, with its licence), so a report looks the same
/// on any machine and needs no installed fonts. PDFsharp's Core build finds no system fonts on Linux by itself.
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    public const string Family = "eSafe Sans";
    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static bool _installed;
    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>PDFsharp takes one resolver per process, set before the first font is used.</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new ReportFonts();
            }
            else if (GlobalFontSettings.FontResolver is not ReportFonts)
            {
                throw new InvalidOperationException("Another PDFsharp font resolver is installed in this process; reports need eSafe's own (ReportFonts).");
            }

            _installed = true;
        }
    }

    /// <summary>Every family asked for is drawn in DejaVu Sans: a report never depends on what the machine has.</summary>
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[] GetFont(string faceName) => _faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var name = $"eSafe.Server.Reports.Fonts.{faceName}.ttf";
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The report font {name} is missing from the server's assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
