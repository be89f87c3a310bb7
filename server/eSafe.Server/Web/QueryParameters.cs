using System.Globalization;

namespace eSafe.Server.Web;

/// <summary>Reads a query string's parameters one by one, collecting a clear message for every bad value (by parameter).</summary>
public sealed class QueryParameters(IQueryCollection query)
{
    public Dictionary<string, string[]> Problems { get; } = new(StringComparer.Ordinal);

    /// <summary>The parameter's value, or null when it is absent or empty (or given more than once, which is a problem).</summary>
    public string? One(string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            Problems[name] = [$"{name} may be given once."];
            return null;
        }

        return string.IsNullOrEmpty(values.ToString()) ? null : values.ToString();
    }

    public string? Checked(string name, Func<string, bool> valid, string message)
    {
        var value = One(name);
        if (value is not null && !valid(value))
        {
            Problems[name] = [message];
            return null;
        }

        return value;
    }

    /// <summary>A day written yyyy-MM-dd.</summary>
    public DateOnly? Date(string name)
    {
        if (One(name) is not { } value)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Problems[name] = [$"{name} must be a date written yyyy-MM-dd."];
        return null;
    }

    public int? Number(string name, int min, int max)
    {
        if (One(name) is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Problems[name] = [$"{name} must be a whole number from {min} to {max}."];
        return null;
    }
}
