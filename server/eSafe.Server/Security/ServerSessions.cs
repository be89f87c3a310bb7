using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using eSafe.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace eSafe.Server.Security;

/// <summary>
/// The cookie handler's session store: the cookie carries only a random session key, the signed-in ticket stays
/// on the server (<see cref="ISessionStore"/>, encrypted with the data key). A session ends for good on logout,
/// on a password reset, after <see cref="ServerOptions.SessionIdleTimeout"/> without a request and
/// <see cref="ServerOptions.SessionLifetime"/> after sign-in, whatever the cookie says.
/// </summary>
public sealed class ServerSessions(ISessionStore store, AtRestCipher cipher, TimeProvider clock, ServerOptions options) : ITicketStore
{
    private const string Purpose = "console-session:";

    /// <summary>What a session's ticket is bound to (its row's ID), for re-encryption under a new data key.</summary>
    public static string TicketPurpose(string id) => Purpose + id;

    // Last-seen is written at most this often: idle expiry is exact to within it, and a busy console does not write on every request.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(30);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var id = IdOf(key);
        var now = Now();
        await store.AddAsync(new SessionRecord(id, ticket.Principal.Identity?.Name ?? "", Protect(ticket, id), now, now), cancellationToken);
        return key;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var id = IdOf(key);
        var session = await store.GetAsync(id, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var now = Now();
        if (HasExpired(session, now))
        {
            await store.RemoveAsync(id, cancellationToken);
            return null;
        }

        if (now - session.LastSeenAt >= TouchEvery && !await store.UpdateAsync(session with { LastSeenAt = now }, cancellationToken))
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(cipher.Decrypt(session.Ticket, Purpose + id));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var id = IdOf(key);
        if (await store.GetAsync(id, cancellationToken) is { } session && !HasExpired(session, Now()))
        {
            await store.UpdateAsync(session with { Ticket = Protect(ticket, id), LastSeenAt = Now() }, cancellationToken);
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => store.RemoveAsync(IdOf(key), cancellationToken);

    /// <summary>Removes every session past its idle or absolute lifetime; run now and then by <see cref="ExpirySweeper"/>.</summary>
    public Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        return store.RemoveExpiredAsync(now - options.SessionIdleTimeout, now - options.SessionLifetime, cancellationToken);
    }

    private bool HasExpired(SessionRecord session, DateTimeOffset now) =>
        now - session.LastSeenAt >= options.SessionIdleTimeout || now - session.StartedAt >= options.SessionLifetime;

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private byte[] Protect(AuthenticationTicket ticket, string id) => cipher.Encrypt(TicketSerializer.Default.Serialize(ticket), Purpose + id);

    // The store is keyed by a hash of the cookie's key: someone who reads the database cannot rebuild a cookie from it.
    private static string IdOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("esafe-session\n" + key)));
}
