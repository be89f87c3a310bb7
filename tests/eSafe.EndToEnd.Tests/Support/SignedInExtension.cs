namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// The unpacked extension (same key, so the same ID) with a stand-in for the profile's signed-in Google account:
/// a headless Chromium cannot sign in (a profile seeded with an account and a refresh token is signed out again at
/// start), so this copy's <c>chrome.identity.getProfileUserInfo</c> answers with the account given. Nothing else
/// differs from the repository's extension.
/// </summary>
public static class SignedInExtension
{
    public const string ShimFile = "test-signed-in.js";

    public static string Make(string directory, string account)
    {
        ExtensionCopy.Copy(new DirectoryInfo(RepositoryLayout.Extension), directory);
        var background = Path.Combine(directory, "background");
        File.WriteAllText(Path.Combine(background, ShimFile),
            "// Test stand-in for a signed-in profile (tests only; never shipped).\n"
            + $"const account = {System.Text.Json.JsonSerializer.Serialize(account)};\n"
            + "Object.defineProperty(chrome.identity, 'getProfileUserInfo', { value: async () => ({ email: account, id: 'test' }) });\n");
        var worker = Path.Combine(background, "service-worker.js");
        // Imports run in order, so the stand-in is in place before the worker's own code asks for the account.
        File.WriteAllText(worker, $"import './{ShimFile}';\n" + File.ReadAllText(worker));
        return directory;
    }
}
