using System.Security.Cryptography;
using System.Text;
using eSafe.Server.Storage;

namespace eSafe.Server.Security;

/// <summary>Why a login is refused before its password is checked, and for how long.</summary>
public sealed record ThrottleRefusal(TimeSpan Wait, string Reason);

/// <summary>
/// Slows password guessing without handing anyone a way to lock a user out. Failures are counted in the
/// database (<see cref="ILoginThrottleStore"/>: every process shares them, a restart keeps them) under three keys:
/// <list type="bullet">
/// <item>the account from one address: <see cref="MaxFailures"/> failures lock that pair for <see cref="LockDuration"/>;</item>
/// <item>the address, whatever the account (spraying): <see cref="MaxAddressFailures"/> lock the address;</item>
/// <item>the account from every address: past <see cref="AccountSlowAfter"/> failures each address may try that
///   account only once every <see cref="AccountSpacing"/>. This one never locks: an address that has not failed
///   yet always gets its try, so an attacker elsewhere cannot keep the real user out, only slow them a little.</item>
/// </list>
/// </summary>
public sealed class LoginThrottle(ILoginThrottleStore store, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public const int MaxAddressFailures = 30;
    public const int AccountSlowAfter = 10;
    public const string PairReason = "account-and-address";
    public const string AddressReason = "address";
    public const string AccountReason = "account-slowed";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AccountSpacing = TimeSpan.FromSeconds(30);

    /// <summary>Why the login may not be tried now, or null when it may.</summary>
    public async Task<ThrottleRefusal?> CheckAsync(string username, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await store.GetAsync(AddressKey(address), cancellationToken) is { LockedUntil: { } addressLock } && addressLock > now)
        {
            return new ThrottleRefusal(addressLock - now, AddressReason);
        }

        var pair = await store.GetAsync(PairKey(username, address), cancellationToken);
        if (pair is { LockedUntil: { } pairLock } && pairLock > now)
        {
            return new ThrottleRefusal(pairLock - now, PairReason);
        }

        if (pair is not null && pair.LastFailure + AccountSpacing > now
            && await store.GetAsync(AccountKey(username), cancellationToken) is { } account
            && now - account.WindowStart < Window && account.Failures >= AccountSlowAfter)
        {
            return new ThrottleRefusal(pair.LastFailure + AccountSpacing - now, AccountReason);
        }

        return null;
    }

    public async Task FailedAsync(string username, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.AddFailureAsync(PairKey(username, address), now, Window, MaxFailures, LockDuration, cancellationToken);
        await store.AddFailureAsync(AddressKey(address), now, Window, MaxAddressFailures, LockDuration, cancellationToken);
        await store.AddFailureAsync(AccountKey(username), now, Window, int.MaxValue, TimeSpan.Zero, cancellationToken);
    }

    /// <summary>A right password clears that address's count for the account; the address's and the account's counts run on.</summary>
    public Task SucceededAsync(string username, string? address, CancellationToken cancellationToken) =>
        store.RemoveAsync(PairKey(username, address), cancellationToken);

    /// <summary>Drops counters that can no longer refuse anything; run now and then by <see cref="ExpirySweeper"/>.</summary>
    public Task<int> RemoveStaleAsync(CancellationToken cancellationToken) =>
        store.RemoveStaleAsync(clock.GetUtcNow() - Window - LockDuration, cancellationToken);

    private static string PairKey(string username, string? address) => Key("pair", Account(username), address ?? "");

    private static string AddressKey(string? address) => Key("address", address ?? "");

    private static string AccountKey(string username) => Key("account", Account(username));

    private static string Account(string username) => username.Trim().ToLowerInvariant();

    // Hashed, so the table of counters names no account and no address.
    private static string Key(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("esafe-login-throttle\n" + string.Join('\n', parts))));
}
