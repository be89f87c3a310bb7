using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Jobs in one collection. A claim is a conditional update under the store's lock; in this embedded store one process
/// holds the database, and the lease still protects a job from a runner that stalls past it.
/// </summary>
public sealed class LiteJobStore : IJobStore
{
    private readonly ILiteCollection<BsonDocument> _jobs;
    private readonly Lock _write = new();

    public LiteJobStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _jobs = LiteCollections.Open(data.Database, "jobs");
        _jobs.EnsureIndex("state");
        _jobs.EnsureIndex("incidentId");
        _jobs.EnsureIndex("uniqueKey");
    }

    public Task<bool> AddAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_write)
        {
            if (job.UniqueKey is { } key && _jobs.Exists("$.uniqueKey = @0", key))
            {
                return Task.FromResult(false);
            }

            _jobs.Insert(Write(job, leaseUntil: null, leasedBy: null));
        }

        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<EscalationJob>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, string owner, int max,
        CancellationToken cancellationToken)
    {
        lock (_write)
        {
            var due = _jobs.Query()
                .Where("$.state = @0 AND $.dueAt <= @1 AND ($.leaseUntil = null OR $.leaseUntil < @1)", JobStates.Pending, Bson.Time(now))
                .OrderBy("$.dueAt").Limit(max).ToList();
            foreach (var document in due)
            {
                document["leaseUntil"] = Bson.Time(leaseUntil);
                document["leasedBy"] = owner;
                _jobs.Update(document);
            }

            IReadOnlyList<EscalationJob> claimed = [.. due.Select(Read)];
            return Task.FromResult(claimed);
        }
    }

    public Task<bool> CompleteAsync(EscalationJob job, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_write)
        {
            var stored = _jobs.FindById(job.Id);
            if (stored is null || Bson.Text(stored["leasedBy"]) != owner)
            {
                return Task.FromResult(false);
            }

            _jobs.Update(Write(job, leaseUntil: null, leasedBy: null));
        }

        return Task.FromResult(true);
    }

    public Task<int> DeleteFinishedAsync(DateTimeOffset completedBefore, int max, CancellationToken cancellationToken)
    {
        lock (_write)
        {
            var old = _jobs.Query()
                .Where("($.state = @0 OR $.state = @1) AND $.completedAt != null AND $.completedAt < @2", JobStates.Done, JobStates.Cancelled, Bson.Time(completedBefore))
                .Limit(max).ToList();
            foreach (var document in old)
            {
                _jobs.Delete(document["_id"]);
            }

            return Task.FromResult(old.Count);
        }
    }

    public Task<IReadOnlyList<EscalationJob>> ListForIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        IReadOnlyList<EscalationJob> jobs = [.. _jobs.Query().Where("$.incidentId = @0", incidentId).OrderBy("$._id").ToList().Select(Read)];
        return Task.FromResult(jobs);
    }

    public Task<IReadOnlyList<EscalationJob>> ListTroubledAsync(IReadOnlyCollection<string>? schoolIds, int limit, CancellationToken cancellationToken)
    {
        var query = _jobs.Query().Where("$.state = @0 OR ($.state = @1 AND $.lastError != null)", JobStates.Failed, JobStates.Pending);
        if (schoolIds is not null)
        {
            query = query.Where("$.schoolId IN @0", new BsonArray(schoolIds.Select(s => new BsonValue(s))));
        }

        IReadOnlyList<EscalationJob> jobs = [.. query.OrderByDescending("$._id").Limit(limit).ToList().Select(Read)];
        return Task.FromResult(jobs);
    }

    private static BsonDocument Write(EscalationJob job, DateTimeOffset? leaseUntil, string? leasedBy) => new()
    {
        ["_id"] = job.Id,
        ["kind"] = job.Kind,
        ["schoolId"] = job.SchoolId,
        ["incidentId"] = Bson.Text(job.IncidentId),
        ["decision"] = job.DecisionNumber,
        ["contactId"] = Bson.Text(job.ContactId),
        ["step"] = job.Step,
        ["uniqueKey"] = Bson.Text(job.UniqueKey),
        ["createdAt"] = Bson.Time(job.CreatedAt),
        ["dueAt"] = Bson.Time(job.DueAt),
        ["state"] = job.State,
        ["attempts"] = job.Attempts,
        ["lastError"] = Bson.Text(job.LastError),
        ["outcome"] = Bson.Text(job.Outcome),
        ["completedAt"] = job.CompletedAt is { } completed ? Bson.Time(completed) : BsonValue.Null,
        ["leaseUntil"] = leaseUntil is { } until ? Bson.Time(until) : BsonValue.Null,
        ["leasedBy"] = Bson.Text(leasedBy),
    };

    private static EscalationJob Read(BsonDocument d) => new(d["_id"].AsString, d["kind"].AsString, d["schoolId"].AsString,
        Bson.Text(d["incidentId"]), d["decision"].AsInt32, Bson.Text(d["contactId"]), d["step"].AsInt32, Bson.Text(d["uniqueKey"]), Bson.Time(d["createdAt"]),
        Bson.Time(d["dueAt"]), d["state"].AsString, d["attempts"].AsInt32, Bson.Text(d["lastError"]), Bson.Text(d["outcome"]),
        d["completedAt"].IsNull ? null : Bson.Time(d["completedAt"]));
}
