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
            .Select(e => new LibraryEntryView(e.Id, e.Phrase, e.Category, e.Severity, e.Language, e.Exceptions ?? [], e.Context.Length == 0 ? null : e.Context))
            .ToList();
        return new LibraryEntryPage(matches.Count, offset, items);
    }

    /// <summary>The search, or null with <paramref name="errors"/> saying what is wrong (by parameter).</summary>
    public static LibraryEntryQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new QueryParameters(query);
        var result = new LibraryEntryQuery
        {
            Text = parameters.Checked("text", t => t.Trim().Length <= MaxTextLength && !t.Any(char.IsControl),
                $"text must be at most {MaxTextLength} characters, without control characters.")?.Trim(),
            Category = parameters.Checked("category", ThreatCategories.IsKnown, $"category must be one of {string.Join(", ", ThreatCategories.All)}."),
            Offset = parameters.Number("offset", 0, 1_000_000),
            Limit = parameters.Number("limit", 1, MaxLimit),
        };
        errors = parameters.Problems;
        return errors.Count == 0 ? result : null;
    }
}
