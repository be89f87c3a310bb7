using System.Globalization;
using eSafe.Server.Security;

namespace eSafe.Server.Storage;

/// <summary>
/// The audit log's keyed hash chain, whichever store keeps the lines: each line's hash is an HMAC-SHA256 (keys/audit.key)
/// of the line and the hash of the line before, and the head is anchored in keys/audit-anchors.log (<see cref="AuditAnchors"/>).
/// </summary>
public sealed class AuditChain(AuditKey key, AuditAnchors anchors)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public AuditAnchors Anchors { get; } = anchors;

    /// <summary>The next line after (<paramref name="lastSequence"/>, <paramref name="lastHash"/>), hashed.</summary>
    public AuditEntry Next(long lastSequence, string lastHash, DateTimeOffset now, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var unhashed = new AuditEntry(lastSequence + 1, at, auditEvent.Actor, auditEvent.Action, auditEvent.IncidentId,
            auditEvent.SchoolId, auditEvent.RemoteAddress, auditEvent.Detail, lastHash, "");
        return unhashed with { Hash = HashOf(unhashed) };
    }

    public string HashOf(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return key.Mac(e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            e.Actor, e.Action, e.IncidentId, e.SchoolId, e.RemoteAddress, e.Detail, e.PreviousHash);
    }

    /// <summary>The sequence of the first line (of all of them, oldest first) whose chain is broken; null when intact.</summary>
    public long? FindBreak(IEnumerable<AuditEntry> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var previous = Genesis;
        var expected = 1L;
        foreach (var entry in lines)
        {
            if (entry.Sequence != expected || entry.PreviousHash != previous || !AuditKey.Same(HashOf(entry), entry.Hash))
            {
                return entry.Sequence;
            }

            previous = entry.Hash;
            expected++;
        }

        return null;
    }

    /// <summary>
    /// Checks every line (all of them, oldest first) and the log against its anchors: this machine's file, and with a shared
    /// store also <paramref name="sharedAnchors"/>, those every process kept in the database (each checked with the key).
    /// </summary>
    public AuditVerification Verify(IEnumerable<AuditEntry> lines, IReadOnlyList<AuditAnchor>? sharedAnchors = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var problems = new List<string>();
        var all = Anchors.ReadAll();
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i] is null)
            {
                problems.Add($"Anchor line {i + 1} of {AuditAnchors.FileName} was changed or not written by this server.");
            }
        }

        var shared = (sharedAnchors ?? []).Select(Anchors.Check).ToList();
        for (var i = 0; i < shared.Count; i++)
        {
            if (shared[i] is null)
            {
                problems.Add($"Anchor {i + 1} in the database was changed or not made with this server's audit key.");
            }
        }

        var valid = all.Concat(shared).OfType<AuditAnchor>().Distinct().ToList();
        var anchoredCounts = valid.Select(a => a.Count).ToHashSet();
        var hashes = new Dictionary<long, string>();
        var previous = Genesis;
        var expected = 1L;
        foreach (var entry in lines)
        {
            if (entry.Sequence != expected)
            {
                problems.Add(entry.Sequence > expected
                    ? $"Entries {expected} to {entry.Sequence - 1} are missing."
                    : $"Entry {entry.Sequence} is out of order.");
            }
            else if (entry.PreviousHash != previous)
            {
                problems.Add($"Entry {entry.Sequence} does not follow the entry before it (its previous hash differs).");
            }

            if (!AuditKey.Same(HashOf(entry), entry.Hash))
            {
                problems.Add($"Entry {entry.Sequence} was changed: its keyed hash does not match its contents.");
            }

            if (anchoredCounts.Contains(entry.Sequence))
            {
                hashes[entry.Sequence] = entry.Hash;
            }

            previous = entry.Hash;
            expected = entry.Sequence + 1;
        }

        var entries = expected - 1;
        foreach (var anchor in valid)
        {
            if (anchor.Count > entries)
            {
                problems.Add($"The log ends at entry {entries} but an anchor of {anchor.At:u} recorded {anchor.Count} entries: entries were removed from the end.");
            }
            else if (anchor.Count > 0 && (!hashes.TryGetValue(anchor.Count, out var hash) || hash != anchor.Head))
            {
                problems.Add($"Entry {anchor.Count} is not the one anchored at {anchor.At:u}: the log was rewritten.");
            }
        }

        if (valid.Count == 0 && entries > 0)
        {
            problems.Add(sharedAnchors is null
                ? $"There is no anchor in {AuditAnchors.FileName}: the log cannot be checked for entries cut from its end."
                : $"There is no anchor in {AuditAnchors.FileName} or in the database: the log cannot be checked for entries cut from its end.");
        }

        return new AuditVerification(entries, valid.Count, valid.Count > 0 ? valid.Max(a => a.Count) : 0, problems);
    }
}
