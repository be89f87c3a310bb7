using System.Globalization;
using eSafe.Server.Security;

namespace eSafe.Server.Storage;

/// <summary>An anchor: the audit log had <see cref="Count"/> entries, the last with hash <see cref="Head"/>, at <see cref="At"/>.</summary>
public sealed record AuditAnchor(long Count, string Head, DateTimeOffset At, string Mac);

/// <summary>
/// <c>keys/audit-anchors.log</c>: the audit log's head, appended (never rewritten) every so many entries and at shutdown,
/// one keyed line each, flushed to disk. An anchor names an entry count and that entry's hash, so entries removed from
/// the end, or a log rebuilt from some point on, no longer match it.
/// Line: <c>v1 COUNT HEAD UNIX-MS MAC</c>.
/// </summary>
public sealed class AuditAnchors(string path, AuditKey key)
{
    public const string FileName = "audit-anchors.log";

    public string Path { get; } = path;

    public AuditAnchor Append(long count, string head, DateTimeOffset at)
    {
        var anchor = Make(count, head, at);
        var millis = anchor.At.ToUnixTimeMilliseconds();
        using var file = new FileStream(Path, SecureFiles.NewPrivateFile(FileMode.Append, FileAccess.Write, FileShare.Read));
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"v1 {count} {head} {millis} {anchor.Mac}\n"));
        }

        file.Flush(flushToDisk: true);
        return anchor;
    }

    /// <summary>Every line in order: an anchor, or null for a line that is not one this key made (changed or forged).</summary>
    public IReadOnlyList<AuditAnchor?> ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        return [.. File.ReadAllLines(Path).Where(l => l.Length > 0).Select(Parse)];
    }

    /// <summary>An anchor made with this key (to the millisecond), not written anywhere yet.</summary>
    public AuditAnchor Make(long count, string head, DateTimeOffset at)
    {
        var millis = at.ToUnixTimeMilliseconds();
        return new AuditAnchor(count, head, DateTimeOffset.FromUnixTimeMilliseconds(millis), MacOf(count, head, millis));
    }

    /// <summary>An anchor kept elsewhere (the database), or null when this key did not make it as it stands.</summary>
    public AuditAnchor? Check(AuditAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        return AuditKey.Same(MacOf(anchor.Count, anchor.Head, anchor.At.ToUnixTimeMilliseconds()), anchor.Mac) ? anchor : null;
    }

    public long LastCount() => ReadAll().LastOrDefault(a => a is not null)?.Count ?? 0;

    private AuditAnchor? Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != "v1"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
            || !AuditKey.Same(MacOf(count, parts[2], millis), parts[4]))
        {
            return null;
        }

        return new AuditAnchor(count, parts[2], DateTimeOffset.FromUnixTimeMilliseconds(millis), parts[4]);
    }

    private string MacOf(long count, string head, long millis) =>
        key.Mac("anchor", count.ToString(CultureInfo.InvariantCulture), head, millis.ToString(CultureInfo.InvariantCulture));
}
