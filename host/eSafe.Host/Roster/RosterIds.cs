using eSafe.Incidents;

namespace eSafe.Host.Roster;

/// <summary>
/// The school's own tool: its roster (a CSV with an <c>email</c> column) with each pupil's user ID added,
/// computed exactly as devices compute it (<see cref="PseudonymousId"/>), so a report's user ID can be
/// looked up in the school's own records.
/// </summary>
public static class RosterIds
{
    public const string EmailColumn = "email";
    public const string UserIdColumn = "userId";

    /// <summary>What came of a roster: the output's text, and every row that could not be used, by line.</summary>
    public sealed record Outcome(string? Output, IReadOnlyList<string> Problems, int Rows);

    public static Outcome Add(string csv, ReadOnlySpan<byte> schoolKey, bool skipBad)
    {
        var records = Csv.Parse(csv);
        if (records.Count == 0)
        {
            return new Outcome(null, ["the roster is empty: it needs a header row with an email column"], 0);
        }

        var header = records[0].Fields;
        var email = IndexOf(header, EmailColumn);
        if (email < 0)
        {
            return new Outcome(null, [$"line {records[0].Line}: no '{EmailColumn}' column in the header ({string.Join(", ", header)})"], 0);
        }

        if (IndexOf(header, UserIdColumn) >= 0)
        {
            return new Outcome(null, [$"line {records[0].Line}: the roster has a '{UserIdColumn}' column already"], 0);
        }

        var problems = new List<string>();
        var lines = new List<string> { Csv.Line([.. header, UserIdColumn]) };
        foreach (var record in records.Skip(1))
        {
            var problem = record.Fields.Count != header.Count
                ? $"line {record.Line}: {record.Fields.Count} fields where the header has {header.Count}"
                : !LooksLikeEmail(record.Fields[email]) ? $"line {record.Line}: '{Shown(record.Fields[email])}' is not an email address"
                : null;
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }

            lines.Add(Csv.Line([.. record.Fields, PseudonymousId.Compute(schoolKey, record.Fields[email])]));
        }

        var rows = lines.Count - 1;
        return problems.Count > 0 && !skipBad
            ? new Outcome(null, problems, rows)
            : new Outcome(string.Join('\n', lines) + "\n", problems, rows);
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool LooksLikeEmail(string value)
    {
        var trimmed = value.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return trimmed.Length is > 2 and <= 320 && at > 0 && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace);
    }

    private static string Shown(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
