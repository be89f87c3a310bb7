using eSafe.Server.Notifications.Phone;

namespace eSafe.Server.Tests.Phone;

/// <summary>
/// Our own seam, not the provider: a small in-memory <see cref="IPhoneAcknowledgements"/> (the escalation engine
/// implements the real one) that counts every time it is asked, so tests can see that bad requests never reach it.
/// </summary>
internal sealed class InMemoryPhoneAcknowledgements : IPhoneAcknowledgements
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AlertDescription> _alerts = new(StringComparer.Ordinal);
    private readonly List<Acknowledgement> _acknowledgements = [];
    private int _asked;

    /// <summary>How many times either method was called.</summary>
    public int Asked => Volatile.Read(ref _asked);

    public IReadOnlyList<Acknowledgement> Acknowledgements
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledgements];
            }
        }
    }

    public string AddAlert(string schoolName = "Harbour Lane Primary", string reference = "INC-2041", int severity = 5)
    {
        var token = AcknowledgeTokens.New();
        lock (_gate)
        {
            _alerts[token] = new AlertDescription(schoolName, reference, severity, Acknowledged: false);
        }

        return token;
    }

    public Task<AcknowledgeOutcome> AcknowledgeAsync(string token, string channel, string? byPhone, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        lock (_gate)
        {
            if (!_alerts.TryGetValue(token, out var alert))
            {
                return Task.FromResult(AcknowledgeOutcome.Unknown);
            }

            if (alert.Acknowledged)
            {
                return Task.FromResult(AcknowledgeOutcome.AlreadyAcknowledged);
            }

            _alerts[token] = alert with { Acknowledged = true };
            _acknowledgements.Add(new Acknowledgement(token, channel, byPhone));
            return Task.FromResult(AcknowledgeOutcome.Acknowledged);
        }
    }

    public Task<AlertDescription?> DescribeAsync(string token, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        lock (_gate)
        {
            return Task.FromResult(_alerts.GetValueOrDefault(token));
        }
    }

    public sealed record Acknowledgement(string Token, string Channel, string? ByPhone);
}
