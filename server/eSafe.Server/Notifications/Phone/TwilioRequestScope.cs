namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// What the Twilio library does not carry between our call and its HTTP request: the caller's cancellation token
/// (its async API takes none) and the HTTP status of the reply (its errors for non-JSON replies lose it).
/// The notifier opens a scope around each request; <see cref="Handler"/> reads and fills it.
/// </summary>
internal sealed class TwilioRequestScope : IDisposable
{
    private static readonly AsyncLocal<TwilioRequestScope?> CurrentScope = new();
    private readonly TwilioRequestScope? _outer;

    private TwilioRequestScope(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
        _outer = CurrentScope.Value;
        CurrentScope.Value = this;
    }

    public CancellationToken CancellationToken { get; }

    /// <summary>The status of the last reply received in this scope; null when none came (no connection, time-out).</summary>
    public int? LastStatus { get; private set; }

    public static TwilioRequestScope Open(CancellationToken cancellationToken) => new(cancellationToken);

    public void Dispose() => CurrentScope.Value = _outer;

    /// <summary>Applies the scope's cancellation to the request and notes the reply's status.</summary>
    internal sealed class Handler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var scope = CurrentScope.Value;
            if (scope is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.CancellationToken);
            var response = await base.SendAsync(request, linked.Token);
            scope.LastStatus = (int)response.StatusCode;
            return response;
        }
    }
}
