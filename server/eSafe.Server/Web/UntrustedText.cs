using System.Text;

namespace eSafe.Server.Web;

/// <summary>
/// The one rule for control and direction-changing characters in text that devices send
/// (docs/PROTOCOL.md, "Text the server takes"). Unsafe: C0 controls (tab and newline allowed where
/// a field may hold lines), DEL, C1 controls, and the bidirectional marks, embeddings, overrides and
/// isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), plus the line and paragraph
/// separators U+2028/U+2029. Zero-width joiners stay: Urdu and other scripts need them.
/// </summary>
public static class UntrustedText
{
    /// <summary>What <see cref="Neutralise"/> puts in place of an unsafe character, so a reader sees that something was there.</summary>
    public const char Replacement = '\uFFFD';

    public static bool IsUnsafe(char c, bool linesAllowed) => c switch
    {
        '\t' or '\n' => !linesAllowed,
        < '\u0020' or '\u007F' => true,
        >= '\u0080' and <= '\u009F' => true,
        '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    /// <summary>True when the text holds no unsafe character (null counts as safe: presence is checked elsewhere).</summary>
    public static bool IsSafe(string? text, bool linesAllowed = false)
    {
        if (text is null)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (IsUnsafe(c, linesAllowed))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text with each unsafe character replaced by U+FFFD; the same instance when there is none.</summary>
    public static string Neutralise(string text, bool linesAllowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsSafe(text, linesAllowed))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(IsUnsafe(c, linesAllowed) ? Replacement : c);
        }

        return builder.ToString();
    }

    /// <summary>A URL with each unsafe character percent-encoded (UTF-8), so the address keeps its meaning but cannot reorder what is shown.</summary>
    public static string NeutraliseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (IsSafe(url))
        {
            return url;
        }

        var builder = new StringBuilder(url.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var c in url)
        {
            if (!IsUnsafe(c, linesAllowed: false))
            {
                builder.Append(c);
                continue;
            }

            var length = Encoding.UTF8.GetBytes([c], utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
