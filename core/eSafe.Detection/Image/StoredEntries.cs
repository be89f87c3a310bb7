using System.Collections;
using System.Text;

namespace eSafe.Detection.Image;

/// <summary>
/// The entries of a loaded library, made from the image only when asked for (a hit names one, or someone
/// lists them), then kept, so each index always gives the same <see cref="ThreatEntry"/>. Thread-safe.
/// </summary>
internal sealed class StoredEntries : IReadOnlyList<ThreatEntry>
{
    private const int LongestIdOnStack = 256;

    private readonly LibraryImage _image;
    private readonly string[] _languages;
    private readonly ThreatEntry?[] _made;

    public StoredEntries(LibraryImage image)
    {
        _image = image;
        _languages = [.. Enumerable.Range(2, image.Counts.Languages).Select(image.String)];
        _made = new ThreatEntry?[image.Counts.Entries];
    }

    public int Count => _made.Length;

    public ThreatEntry this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_made.Length, nameof(index));
            return Volatile.Read(ref _made[index]) ?? Make(index);
        }
    }

    /// <summary>For each entry, whether its ID is one of <paramref name="ids"/>, without making the entries.</summary>
    public bool[] WithIds(HashSet<string> ids)
    {
        var named = new bool[Count];
        if (ids.Count == 0)
        {
            return named;
        }

        var hasSpanLookup = ids.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup);
        Span<char> id = stackalloc char[LongestIdOnStack];
        var rows = _image.Entries;
        for (var i = 0; i < rows.Length; i++)
        {
            var bytes = _image.StringBytes(rows[i].FirstString);
            named[i] = hasSpanLookup && bytes.Length <= id.Length
                ? lookup.Contains(id[..Encoding.UTF8.GetChars(bytes, id)])
                : ids.Contains(Encoding.UTF8.GetString(bytes));
        }

        return named;
    }

    public IEnumerator<ThreatEntry> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ThreatEntry Make(int index)
    {
        var row = _image.Entries[index];
        var first = row.FirstString;
        var exceptions = row.ExceptionCount == 0 ? [] : new string[row.ExceptionCount];
        for (var e = 0; e < exceptions.Length; e++)
        {
            exceptions[e] = _image.String(first + EntryRow.FixedStrings + e);
        }

        var entry = new ThreatEntry(_image.String(first), _image.String(first + 1), ThreatCategories.All[row.Category],
            row.Severity, _languages[row.Language], exceptions, _image.String(first + 2));
        return Interlocked.CompareExchange(ref _made[index], entry, null) ?? entry;
    }
}
