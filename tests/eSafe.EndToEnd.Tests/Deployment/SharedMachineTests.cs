using eSafe.Contracts.Native;
using eSafe.EndToEnd.Tests.Support;
using eSafe.Incidents;

namespace eSafe.EndToEnd.Tests.Deployment;

/// <summary>
/// One machine, two pupils (a thin client or a shared PC): two browser profiles, each starting its own host
/// process with its own state folder, signed in as two accounts. The real host binary and server; the test
/// speaks for each profile's extension over the host's stdin/stdout, with the account the extension sends in
/// hello (chrome.identity's signed-in email), since a headless Chromium cannot sign in to Google accounts.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SharedMachineTests
{
    private const string PupilA = "Ada.Pupil@School.Example";
    private const string PupilB = "ben.pupil@school.example";

    [Test]
    [CancelAfter(180_000)]
    public async Task Two_profiles_on_one_machine_report_two_user_ids_under_one_machine_name_and_keep_their_state_apart()
    {
        using var folder = new TemporaryFolder("esafe-shared");
        await using var server = await ServerProcess.StartAsync(folder.Sub("server-data"), TimeSpan.FromSeconds(60));
        var key = folder.Sub("school.key");
        await HostInstallation.RunCommandAsync(folder.Sub("admin"), "school-key", "new", "--output", key);
        var profiles = new[] { (Account: PupilA, Name: "a"), (Account: PupilB, Name: "b") };
        foreach (var (_, name) in profiles)
        {
            await HostInstallation.RunCommandAsync(folder.Sub("state-" + name), "install", "--user-data-dir", folder.Sub("profile-" + name),
                "--browser", "chromium", "--server", server.Url.ToString(), "--enrolment-code", server.Demo.EnrolmentCode, "--user-id-key-file", key);
        }

        // Both profiles' hosts run at once, as on a machine with two sessions.
        var hosts = profiles.Select(p => NativeHostProcess.Start(folder.Sub("state-" + p.Name))).ToList();
        var incidentOf = new Dictionary<string, string>();
        try
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                await hosts[i].SendAsync(new HelloMessage(NativeProtocol.Version, "0.1.0", profiles[i].Account));
                (await hosts[i].ReceiveAsync()).Should().BeOfType<HelloReply>().Which.Ready.Should().BeTrue();
            }

            for (var i = 0; i < hosts.Count; i++)
            {
                await DeviceUnderTest.ThreatAsync(hosts[i], $"evt-shared-{profiles[i].Name}");
            }

            var analyst = await server.LoginAsAnalystAsync();
            var incidents = await SchoolIncidents.WaitForAsync(analyst, server.Demo.SchoolId, 2, TimeSpan.FromSeconds(45));
            var details = await Task.WhenAll(incidents.Select(i => analyst.GetIncidentAsync(i.Id, CancellationToken.None)));

            var schoolKey = SchoolIncidents.ReadKey(key);
            details.Select(d => d.UserId).Should().BeEquivalentTo(
                [PseudonymousId.Compute(schoolKey, PupilA), PseudonymousId.Compute(schoolKey, PupilB)],
                "each profile's incident carries its own pupil's ID");
            details[0].UserId.Should().NotBe(details[1].UserId);
            details.Select(d => d.MachineName).Should().AllBe(Environment.MachineName, "one machine");
            foreach (var (account, name) in profiles)
            {
                incidentOf[name] = details.Single(d => d.UserId == PseudonymousId.Compute(schoolKey, account)).Id;
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }

        // Each profile's state is its own: its enrolment, its outbox (delivered), its log naming only its own incident.
        var enrolmentA = await File.ReadAllTextAsync(Path.Combine(folder.Sub("state-a"), "enrolment.json"));
        var enrolmentB = await File.ReadAllTextAsync(Path.Combine(folder.Sub("state-b"), "enrolment.json"));
        enrolmentA.Should().NotBe(enrolmentB);
        foreach (var (_, name) in profiles)
        {
            var state = folder.Sub("state-" + name);
            Directory.EnumerateFiles(Path.Combine(state, "outbox"), "*", SearchOption.TopDirectoryOnly).Should().BeEmpty("delivered");
            var log = await File.ReadAllTextAsync(Path.Combine(state, "host.log"));
            log.Should().Contain(incidentOf[name]).And.NotContain(incidentOf[name == "a" ? "b" : "a"], "one profile's host never sees the other's incident");
            (await HostInstallation.StatusAsync(state)).Should().Contain(server.Url.ToString().TrimEnd('/'));
        }
    }
}
