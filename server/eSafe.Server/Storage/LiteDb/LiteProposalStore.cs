using eSafe.Contracts.Http;
using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Proposed library exceptions; the words are encrypted (they may quote a pupil), the state is clear for listing.</summary>
public sealed class LiteProposalStore : IProposalStore
{
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _proposals;
    private readonly Lock _write = new();

    public LiteProposalStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _cipher = data.Cipher;
        _proposals = LiteCollections.Open(data.Database, "proposals");
        _proposals.EnsureIndex("state");
    }

    public Task AddAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        _proposals.Insert(Write(proposal));
        return Task.CompletedTask;
    }

    public Task<Proposal?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_proposals.FindById(id) is { } d ? Read(d) : null);

    public Task<IReadOnlyList<Proposal>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        var query = _proposals.Query();
        if (state is not null)
        {
            query = query.Where("$.state = @0", state);
        }

        IReadOnlyList<Proposal> proposals = [.. query.OrderByDescending("$._id").Limit(limit).ToList().Select(Read)];
        return Task.FromResult(proposals);
    }

    public Task<bool> DecideAsync(Proposal decided, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decided);
        lock (_write)
        {
            if (_proposals.FindById(decided.Id) is not { } stored || stored["state"].AsString != ProposalStates.Pending)
            {
                return Task.FromResult(false);
            }

            _proposals.Update(Write(decided));
        }

        return Task.FromResult(true);
    }

    private BsonDocument Write(Proposal p) => new()
    {
        ["_id"] = p.Id,
        ["state"] = p.State,
        ["blob"] = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(p, StorageJson.Default.Proposal), Purpose(p.Id)),
    };

    internal static string Purpose(string id) => BlobPurposes.Proposal(id);

    private Proposal Read(BsonDocument d) =>
        JsonSerializer.Deserialize(_cipher.Decrypt(d["blob"].AsBinary, Purpose(d["_id"].AsString)), StorageJson.Default.Proposal)
        ?? throw new InvalidOperationException($"Proposal {d["_id"].AsString} is empty.");
}
