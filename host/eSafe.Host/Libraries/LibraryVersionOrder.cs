using System.Globalization;

namespace eSafe.Host.Libraries;

/// <summary>
/// Orders library versions such as <c>2026.11.28</c> or <c>2026.11.28.1</c>: part by part, numbers as numbers,
/// other parts as text; a version with more parts after equal ones is newer.
/// </summary>
public static class LibraryVersionOrder
{
    public static int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = left.Split('.', '-');
        var b = right.Split('.', '-');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x)
                        && long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(a[i], b[i]);
            if (order != 0)
            {
                return Math.Sign(order);
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public static bool IsNewer(string candidate, string than) => Compare(candidate, than) > 0;
}
