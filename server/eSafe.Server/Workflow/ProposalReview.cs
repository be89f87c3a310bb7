using eSafe.Contracts.Http;
using eSafe.Detection.Compilation;
using eSafe.Server.Analysts;
using eSafe.Server.Libraries;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>
/// A senior analyst's review of proposed exceptions (docs/ESCALATION.md, "False positives"). Accepted into the school's layer,
/// the exception is added to the school's own entry, or to a copy of the global entry (its context too) that then replaces it
/// for that school, as an exception or, when the analyst says how near, as an <c>unless</c> clause of the entry's context;
/// accepted for the global library, it is listed for the library's maintainers (<c>esafe-server library proposals</c>).
/// </summary>
public sealed class ProposalReview(IProposalStore proposals, SchoolLayerChanges layers, ISchoolLibraryStore layerStore, LibraryPackages packages,
    IAuditLog audit, TimeProvider clock)
{
    public const string SchoolTarget = "school";
    public const string GlobalTarget = "global";

    public async Task<Outcome<IReadOnlyList<Proposal>>> ListAsync(ConsoleUser user, string? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsStaff)
        {
            return Outcome.Forbidden<IReadOnlyList<Proposal>>("Proposals are for eSafe's analysts.");
        }

        return Outcome.Of(await proposals.ListAsync(state, 200, cancellationToken));
    }

    public async Task<Outcome<Proposal>> DecideAsync(ConsoleUser user, string id, ProposalDecision decision, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(decision);
        if (!user.IsSenior)
        {
            return Outcome.Forbidden<Proposal>("Only a senior analyst accepts or rejects library changes.");
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (decision.Action is not ("accept" or "reject"))
        {
            problems["action"] = ["The action is accept or reject."];
        }

        if (decision.Action == "accept" && decision.Target is not (SchoolTarget or GlobalTarget))
        {
            problems["target"] = [$"Accept into the school's layer ({SchoolTarget}) or the global library ({GlobalTarget})."];
        }

        if (decision.Near is { } near && (decision.Action != "accept" || decision.Target != SchoolTarget || near is < 1 or > ContextSyntax.MaxWindow))
        {
            problems["near"] = [$"Words are taken as context (near, 1 to {ContextSyntax.MaxWindow} words) only when accepted into the school's layer."];
        }

        if (problems.Count > 0)
        {
            return Outcome.Invalid<Proposal>(problems, "The decision on the proposal is not valid; nothing was changed.");
        }

        if (await proposals.GetAsync(id, cancellationToken) is not { } proposal)
        {
            return Outcome.NotFound<Proposal>("There is no proposal with this ID.");
        }

        if (proposal.State != ProposalStates.Pending)
        {
            return Outcome.Conflict<Proposal>($"This proposal was {proposal.State} already.");
        }

        if (decision.Action == "accept" && decision.Target == SchoolTarget
            && await AddToSchoolLayerAsync(user, proposal, decision.Near, remote, cancellationToken) is { } refusal)
        {
            return Outcome.Conflict<Proposal>(refusal);
        }

        var decided = proposal with
        {
            State = decision.Action == "accept" ? ProposalStates.Accepted : ProposalStates.Rejected,
            DecidedBy = user.Username,
            DecidedAt = clock.GetUtcNow(),
            Target = decision.Action == "accept" ? decision.Target : null,
            Near = decision.Near,
        };
        if (!await proposals.DecideAsync(decided, cancellationToken))
        {
            return Outcome.Conflict<Proposal>("Someone else decided this proposal at the same moment.");
        }

        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.ProposalDecided, proposal.IncidentId, proposal.SchoolId, remote,
            $"{proposal.Id}: {decided.State}{(decided.Target is { } t ? " into " + t : "")}{(decided.Near is { } n ? $" as context within {n} words" : "")}"),
            cancellationToken);
        return decided;
    }

    // Null when the exception (or, with near, the context clause) is in the school's layer; otherwise why it could not be added.
    private async Task<string?> AddToSchoolLayerAsync(ConsoleUser user, Proposal proposal, int? near, string? remote, CancellationToken cancellationToken)
    {
        var caller = new SchoolLayerChanges.Caller(user, remote);
        var layer = await layerStore.GetAsync(proposal.SchoolId, cancellationToken);
        var ownPrefix = proposal.SchoolId + ".";
        var copyId = CopyId(proposal.RuleId);
        var entry = proposal.RuleId.StartsWith(ownPrefix, StringComparison.Ordinal)
            ? layer.Entries.FirstOrDefault(e => e.Id == proposal.RuleId[ownPrefix.Length..])
            : layer.Entries.FirstOrDefault(e => e.Id == copyId) ?? packages.Global.Entries.FirstOrDefault(e => e.Id == proposal.RuleId);
        if (entry is null)
        {
            return $"The library entry {proposal.RuleId} is no longer there: reject the proposal instead.";
        }

        var isGlobal = !proposal.RuleId.StartsWith(ownPrefix, StringComparison.Ordinal);
        var id = isGlobal ? copyId : entry.Id;
        // Words that only lie near a hit ("macbeth" for a line of the play) cancel it as context; words around it as an exception.
        var exceptions = near is not null || entry.Exceptions.Contains(proposal.Exception) ? entry.Exceptions : [.. entry.Exceptions, proposal.Exception];
        // The entry's context goes with it: a copy of a global entry without its "unless" would hit where the global one does not.
        var context = near is { } window ? SchoolEntryRules.WithUnless(entry.Context, proposal.Exception, window) : entry.Context;
        var saved = await layers.SaveEntryAsync(caller, proposal.SchoolId, id,
            new SchoolEntry(id, entry.Phrase, entry.Category, entry.Severity, entry.Language, exceptions, context), cancellationToken);
        if (saved.Problems is { } problems)
        {
            return "The school's layer did not take the exception: " + string.Join(" ", problems.Values.SelectMany(p => p));
        }

        if (isGlobal)
        {
            await layers.SwitchGlobalEntryAsync(caller, proposal.SchoolId, proposal.RuleId, off: true, cancellationToken);
        }

        return null;
    }

    // The school's copy of a global entry: "g-" and the global ID, within the layer's ID length.
    private static string CopyId(string globalId)
    {
        var id = "g-" + new string([.. globalId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return id.Length <= SchoolEntryRules.MaxIdLength ? id : id[..SchoolEntryRules.MaxIdLength];
    }
}
