using System.Globalization;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Libraries;

/// <summary>
/// The console's search of the global library (docs/PROTOCOL.md §3), so that a school can find the entry it
/// wants switched off: by words of the phrase or part of the ID, and by category, a bounded page at a time.
/// Every search is audited as a read.
/// </summary>
public static class LibrarySearchEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxTextLength = 64;

    public static RouteGroupBuilder MapLibrarySearch(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/library/entries", SearchAsync);
        return console;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, CompiledLibrary library, IAuditLog audit)
    {
        var query = Parse(context.Request.Query, out var errors);
        if (query is null)
        {
            return Problems.Invalid(errors, "The search is not valid.");
        }

        var page = Search(library, query);
        var user = ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.LibrarySearched, RemoteAddress: ClientAddress.Of(context),
            Detail: $"text \"{query.Text}\", category {query.Category ?? "any"}, from {page.Offset}: {page.Items.Count} of {page.Total}"),
            context.RequestAborted);
        return TypedResults.Json(page, ContractsJson.Default.LibraryEntryPage);
    }

    public static LibraryEntryPage Search(CompiledLibrary library, LibraryEntryQuery query)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Text ?? "";
        var matches = library.Entries
            .Where(e => query.Category is null || e.Category == query.Category)
            .Where(e => text.Length == 0 || e.Id.Contains(text, StringComparison.OrdinalIgnoreCase)
                                         || e.Phrase.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var offset = query.Offset ?? 0;
        var items = matches.Skip(offset).Take(query.Limit ?? DefaultLimit)
            .Select(e => new LibraryEntryView(e.Id, e.Phrase, e.Category, e.Severity, e.Language, e.Exceptions ?? []))
            .ToList();
        return new LibraryEntryPage(matches.Count, offset, items);
    }

    /// <summary>The search, or null with <paramref name="errors"/> saying what is wrong (by parameter).</summary>
    public static LibraryEntryQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? One(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                problems[name] = [$"{name} may be given once."];
                return null;
            }

            return string.IsNullOrEmpty(values.ToString()) ? null : values.ToString();
        }

        int? Number(string name, int min, int max)
        {
            if (One(name) is not { } value)
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            problems[name] = [$"{name} must be a whole number from {min} to {max}."];
            return null;
        }

        var text = One("text")?.Trim();
        if (text is { Length: > MaxTextLength } || (text is not null && text.Any(char.IsControl)))
        {
            problems["text"] = [$"text must be at most {MaxTextLength} characters, without control characters."];
        }

        var category = One("category");
        if (category is not null && !ThreatCategories.IsKnown(category))
        {
            problems["category"] = [$"category must be one of {string.Join(", ", ThreatCategories.All)}."];
        }

        var result = new LibraryEntryQuery
        {
            Text = text,
            Category = category,
            Offset = Number("offset", 0, 1_000_000),
            Limit = Number("limit", 1, MaxLimit),
        };
        errors = problems;
        return problems.Count == 0 ? result : null;
    }
}
