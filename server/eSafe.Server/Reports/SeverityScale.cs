using PdfSharp.Drawing;

namespace eSafe.Server.Reports;

/// <summary>The words and colours that stand for severities 1–5 in reports and emails.</summary>
public static class SeverityScale
{
    public const int Lowest = 1;
    public const int Highest = 5;

    public static bool IsValid(int severity) => severity is >= Lowest and <= Highest;

    public static string Word(int severity) => severity switch
    {
        1 => "low concern",
        2 => "a concern",
        3 => "likely needs a conversation",
        4 => "risk of harm",
        5 => "immediate risk / illegal",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "A severity is 1 to 5."),
    };

    /// <summary>"Severity 4 — risk of harm".</summary>
    public static string Label(int severity) => $"Severity {severity} — {Word(severity)}";

    /// <summary>Dark enough for white text on it, and rising from blue through amber to deep red.</summary>
    public static string HexColour(int severity) => severity switch
    {
        1 => "#3D6E9E",
        2 => "#8A6100",
        3 => "#C25200",
        4 => "#C62828",
        5 => "#7B1020",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "A severity is 1 to 5."),
    };

    internal static XColor Colour(int severity)
    {
        var hex = HexColour(severity);
        return XColor.FromArgb(Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
    }
}
