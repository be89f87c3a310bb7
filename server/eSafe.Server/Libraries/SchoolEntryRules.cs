using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Detection.Compilation;

namespace eSafe.Server.Libraries;

/// <summary>
/// What a school's own entry must be (the library's phrase syntax and context column, docs/THREAT-LIBRARY.md), and how it
/// is named.
/// </summary>
public static class SchoolEntryRules
{
    /// <summary>A school's layer holds at most this many entries.</summary>
    public const int MaxEntries = 5000;
    public const int MaxIdLength = 32;
    public const int MaxExceptions = 32;
    public const int MaxRequestBytes = 32 * 1024;

    /// <summary>The ID a school's entry has in the compiled layer and in incidents: the school's ID is its namespace.</summary>
    public static string QualifiedId(string schoolId, string entryId) => schoolId + "." + entryId;

    /// <summary>The compiled layer's library name.</summary>
    public static string LayerName(string schoolId) => "school-" + schoolId;

    public static bool IsEntryId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Everything wrong with an entry, by field; empty when it can be stored.</summary>
    public static Dictionary<string, string[]> Problems(string id, SchoolEntry? entry)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!IsEntryId(id))
        {
            errors["id"] = [$"The entry ID must be 1 to {MaxIdLength} letters, digits, '-', '_' or '.'."];
        }

        if (entry is null)
        {
            errors["entry"] = ["An entry is required."];
            return errors;
        }

        if (entry.Id != id)
        {
            errors["id"] = [.. errors.GetValueOrDefault("id", []), "The entry's id must be the ID in the URL."];
        }

        if (PhraseSyntax.Problem(entry.Phrase) is { } phrase)
        {
            errors["phrase"] = [phrase];
        }

        if (entry.Category is null || !ThreatCategories.IsKnown(entry.Category))
        {
            errors["category"] = [$"The category must be one of: {string.Join(", ", ThreatCategories.All)}."];
        }

        if (entry.Severity is < ThreatEntry.MinSeverity or > ThreatEntry.MaxSeverity)
        {
            errors["severity"] = ["The severity must be 1 to 5."];
        }

        if (entry.Language is not { Length: > 0 and <= 16 } language || !language.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors["language"] = ["The language must be a BCP 47 tag such as en-GB."];
        }

        var exceptions = entry.Exceptions ?? [];
        var exceptionProblems = exceptions.Select(PhraseSyntax.ExceptionProblem).OfType<string>().Select(p => "exception: " + p).ToList();
        if (exceptions.Count > MaxExceptions)
        {
            exceptionProblems.Insert(0, $"An entry has at most {MaxExceptions} exceptions.");
        }

        if (exceptionProblems.Count > 0)
        {
            errors["exceptions"] = [.. exceptionProblems];
        }

        if (ContextProblem(entry.Context) is { } context)
        {
            errors["context"] = [context];
        }

        return errors;
    }

    /// <summary>Why a context cannot be used (the library file's own rules and limits), or null; null or blank is none.</summary>
    public static string? ContextProblem(string? context)
    {
        var tooLong = $"the context is longer than {ThreatLibrary.MaxContextLength} characters";
        if (context is { Length: > ThreatLibrary.MaxContextLength })
        {
            return tooLong;
        }

        // As kept, "a;b" gains a space after each ';'.
        return ContextSyntax.Problem(context) ?? (CanonicalContext(context).Length > ThreatLibrary.MaxContextLength ? tooLong : null);
    }

    /// <summary>
    /// A valid context as it is kept: its clauses as the library's parser reads them, written back in one spelling
    /// (<c>unless 3: slashers|match; with 5: him</c>), so what is stored and compiled is what the parser understood.
    /// </summary>
    public static string CanonicalContext(string? context) => Written(ContextSyntax.Clauses(context));

    private static string Written(IEnumerable<ContextSyntax.Clause> clauses) =>
        string.Join("; ", clauses.Select(c => $"{(c.Required ? "with" : "unless")} {c.Window.ToString(CultureInfo.InvariantCulture)}: {string.Join('|', c.Phrases)}"));

    /// <summary>
    /// A valid context with <paramref name="phrase"/> added to its <c>unless</c> clause of <paramref name="window"/> words (one
    /// made when it has none); unchanged when the clause lists it already. The result is checked when the entry is saved.
    /// </summary>
    public static string WithUnless(string? context, string phrase, int window)
    {
        var clauses = ContextSyntax.Clauses(context).ToList();
        var index = clauses.FindIndex(c => !c.Required && c.Window == window);
        if (index < 0)
        {
            clauses.Add(new ContextSyntax.Clause(false, window, [phrase]));
        }
        else if (!clauses[index].Phrases.Contains(phrase))
        {
            clauses[index] = clauses[index] with { Phrases = [.. clauses[index].Phrases, phrase] };
        }

        return Written(clauses);
    }

    /// <summary>The entry as the layer keeps it (its ID within the school).</summary>
    public static ThreatEntry ToThreatEntry(SchoolEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ThreatEntry(entry.Id, entry.Phrase, entry.Category, entry.Severity, entry.Language, entry.Exceptions ?? [],
            CanonicalContext(entry.Context));
    }

    public static SchoolEntry ToView(ThreatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new SchoolEntry(entry.Id, entry.Phrase, entry.Category, entry.Severity, entry.Language, entry.Exceptions,
            entry.Context.Length == 0 ? null : entry.Context);
    }
}
