using System.Text;

namespace eSafe.Host.Roster;

/// <summary>
/// Comma-separated values as spreadsheets write them (RFC 4180): quoted fields may hold commas, quotes
/// ("") and line breaks. Each record keeps the line it started on, for error messages.
/// </summary>
public static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    /// <summary>The records of a text; throws <see cref="InvalidDataException"/> for a quote left open.</summary>
    public static IReadOnlyList<Record> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    End();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"line {start}: a quoted field is never closed");
        }

        End();
        return records;

        void End()
        {
            if (any || field.Length > 0)
            {
                fields.Add(field.ToString());
                records.Add(new Record(start, [.. fields]));
            }

            fields.Clear();
            field.Clear();
            any = false;
        }
    }

    /// <summary>One record as a line, quoting the fields that need it.</summary>
    public static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : f));
}
