using eSafe.EndToEnd.Tests.Support;
using eSafe.Incidents;
using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Deployment;

/// <summary>
/// A thin client or shared PC as it really is: two pupils on one machine, each in their own OS account with their
/// own Chromium profile. Two real Chromium instances (the second run as the unprivileged account <c>nobody</c>),
/// each with the extension and the host installed the per-user way, each with its own home and so the host's
/// default state folder (<c>~/.local/state/esafe</c>, no <c>ESAFE_HOST_STATE_DIR</c>), each profile signed in as
/// another pupil (<see cref="SignedInExtension"/>). Each types a threat; the real server gets two incidents.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMachineBrowserTests
{
    private const string Threat = "honestly i just want to kill myself tonight";

    private sealed record Pupil(string Name, string Account, bool OtherOsUser);

    [Test]
    [CancelAfter(240_000)]
    public async Task Two_pupils_in_two_chromium_profiles_and_accounts_on_one_machine_get_their_own_user_ids_and_host_state()
    {
        if (OsUser.Unavailable() is { } why)
        {
            Assert.Ignore(why);
        }

        using var folder = new TemporaryFolder("esafe-thin");
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_101_101);
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        using var pages = new PageServer();
        var host = CopyHost(folder.Sub("host"));
        var schoolKey = folder.Sub("school.key");
        await HostInstallation.RunCommandAsync(folder.Sub("admin"), "school-key", "new", "--output", schoolKey);
        Pupil[] pupils = [new("a", "Ada.Pupil@School.Example", OtherOsUser: false), new("b", "ben.pupil@school.example", OtherOsUser: true)];

        var browsers = new List<PupilBrowser>();
        try
        {
            foreach (var pupil in pupils)
            {
                browsers.Add(await StartPupilAsync(folder, pupil, host, schoolKey, server));
            }

            foreach (var browser in browsers)
            {
                var page = await browser.Context.NewPageAsync();
                await page.GotoAsync(new Uri(pages.Url, "chat.html").ToString());
                await page.Locator("#message").PressSequentiallyAsync(Threat, new() { Delay = 20 });
            }

            var analyst = await server.LoginAsAnalystAsync();
            var incidents = await SchoolIncidents.WaitForAsync(analyst, server.Demo.SchoolId, pupils.Length, TimeSpan.FromSeconds(60));
            var details = await Task.WhenAll(incidents.Select(i => analyst.GetIncidentAsync(i.Id, CancellationToken.None)));
            var key = SchoolIncidents.ReadKey(schoolKey);

            details.Select(d => d.UserId).Should().BeEquivalentTo(pupils.Select(p => PseudonymousId.Compute(key, p.Account)),
                "each profile's incident carries its own pupil's ID, from that profile's signed-in account");
            details.Select(d => d.UserId).Should().OnlyHaveUniqueItems();
            details.Select(d => d.MachineName).Should().AllBe(Environment.MachineName, "one machine");
            details.Should().AllSatisfy(d => d.HasScreenshot.Should().BeTrue(d.ScreenshotMissingReason));

            foreach (var (browser, pupil) in browsers.Zip(pupils))
            {
                await browser.DisposeAsync();
                var own = details.Single(d => d.UserId == PseudonymousId.Compute(key, pupil.Account)).Id;
                var other = details.Single(d => d.Id != own).Id;
                var state = Path.Combine(HomeOf(folder, pupil), ".local", "state", "esafe");
                Directory.Exists(state).Should().BeTrue($"{pupil.Name}'s host keeps its state in its own account's default folder");
                File.GetUnixFileMode(state).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                    "no other account on the machine may look into a pupil's host state");
                OwnerOf(state).Should().Be(pupil.OtherOsUser ? OsUser.Name : Environment.UserName);
                var log = await File.ReadAllTextAsync(Path.Combine(state, "host.log"));
                log.Should().Contain(own).And.NotContain(other, "one account's host never sees the other's incident");
                Directory.EnumerateFiles(Path.Combine(state, "outbox")).Should().BeEmpty("delivered");
            }
        }
        finally
        {
            foreach (var browser in browsers)
            {
                await browser.DisposeAsync();
            }
        }
    }

    /// <summary>The pupil's account (own home, own profile, own copy of the extension signed in as them), the host installed as they would, Chromium started.</summary>
    private static async Task<PupilBrowser> StartPupilAsync(TemporaryFolder folder, Pupil pupil, string host, string schoolKey, ServerProcess server)
    {
        var home = HomeOf(folder, pupil);
        var profile = folder.Sub("profile-" + pupil.Name);
        var extension = SignedInExtension.Make(folder.Sub("extension-" + pupil.Name), pupil.Account);
        var key = folder.Sub("school-" + pupil.Name + ".key");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(profile);
        File.Copy(schoolKey, key);
        if (pupil.OtherOsUser)
        {
            await OsUser.GiveAsync(home, profile, key);
        }

        // Only what a desktop session gives every process; no state-folder variable: the account's home decides.
        var environment = new Dictionary<string, string> { ["HOME"] = home, ["PATH"] = "/usr/bin:/bin" };
        await OsUser.RunAsync(host, ["install", "--user-data-dir", profile, "--browser", "chromium", "--server", server.Url.ToString(),
            "--enrolment-code", server.Demo.EnrolmentCode, "--user-id-key-file", key], pupil.OtherOsUser, environment);
        var chromium = pupil.OtherOsUser
            ? OsUser.Wrapper(folder.Sub("chromium-as-" + OsUser.Name), RepositoryLayout.Chromium)
            : RepositoryLayout.Chromium;
        return await PupilBrowser.LaunchAsync(chromium, profile, extension, environment);
    }

    private static string HomeOf(TemporaryFolder folder, Pupil pupil) => folder.Sub("home-" + pupil.Name);

    /// <summary>The published host copied where every account may run it (the build's folder may be private to its owner).</summary>
    private static string CopyHost(string directory)
    {
        var source = Path.GetDirectoryName(RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Publish-Host"))!;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var binary = Path.Combine(directory, Path.GetFileName(RepositoryLayout.HostBinary));
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        return binary;
    }

    private static string OwnerOf(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }

    /// <summary>One pupil's Chromium; the executable may be a wrapper that runs it as another account.</summary>
    private sealed class PupilBrowser : IAsyncDisposable
    {
        private IPlaywright? _playwright;

        private PupilBrowser(IPlaywright playwright, IBrowserContext context)
        {
            _playwright = playwright;
            Context = context;
        }

        public IBrowserContext Context { get; }

        public static async Task<PupilBrowser> LaunchAsync(string chromium, string profile, string extension, IReadOnlyDictionary<string, string> environment)
        {
            var playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Env = environment,
                ViewportSize = new ViewportSize { Width = 1024, Height = 700 },
                Args = [$"--disable-extensions-except={extension}", $"--load-extension={extension}", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new PupilBrowser(playwright, context);
        }

        public async ValueTask DisposeAsync()
        {
            if (_playwright is null)
            {
                return;
            }

            await Context.CloseAsync();
            _playwright.Dispose();
            _playwright = null;
        }
    }
}
