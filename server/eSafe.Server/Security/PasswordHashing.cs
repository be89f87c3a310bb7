using Microsoft.AspNetCore.Identity;

namespace eSafe.Server.Security;

public enum PasswordCheck
{
    Failed,
    Succeeded,

    /// <summary>Right, but hashed with older parameters: store a new hash.</summary>
    SucceededRehashNeeded,
}

/// <summary>ASP.NET Core Identity's password hasher (PBKDF2-HMAC-SHA512, 100,000 rounds, salted).</summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<string> _hasher = new();
    private readonly Lazy<string> _decoy;

    public PasswordHashing() => _decoy = new Lazy<string>(() => Hash("", Secrets.NewPassword()));

    public string Hash(string username, string password) => _hasher.HashPassword(username, password);

    /// <summary>Checks a password; with no stored hash (unknown user) it does the same work, so timing does not tell whether a user exists.</summary>
    public PasswordCheck Verify(string username, string? storedHash, string password)
    {
        var result = _hasher.VerifyHashedPassword(username, storedHash ?? _decoy.Value, password);
        return storedHash is null ? PasswordCheck.Failed : result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Succeeded,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SucceededRehashNeeded,
            _ => PasswordCheck.Failed,
        };
    }
}
