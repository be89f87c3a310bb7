using System.Text;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

public sealed class AtRestTests
{
    [Test]
    public async Task Incident_contents_and_screenshots_are_not_readable_in_the_data_folder()
    {
        const string phrase = "purple-giraffe-whisper-9173";
        var data = ServerHarness.NewDataDirectory();
        try
        {
            eSafe.Incidents.Incident incident;
            await using (var server = await ServerHarness.StartAsync(data))
            {
                var device = await server.EnrolAsync(machineName: "MACHINE-" + phrase);
                incident = TestIncidents.New(device, context: "they said " + phrase + " at lunch") with
                {
                    Url = "https://example.org/" + phrase,
                    PageTitle = "Title " + phrase,
                    MatchedText = phrase,
                    UserId = "0123456789abcdef0123456789abcdef",
                    DeviceAddresses = ["192.0.2.77"],
                };
                await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);
                var api = await server.SignedInAsync();
                (await api.GetIncidentAsync(incident.Id, CancellationToken.None)).MatchedText.Should().Be(phrase);
            }

            // Every file the server left: database, its log, keys, demo.json.
            var screenshotSample = incident.Screenshot!.AsSpan(100, 32).ToArray();
            foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            {
                var bytes = File.ReadAllBytes(file);
                foreach (var secret in new[] { phrase, incident.UserId, "192.0.2.77", "LAB-PC", "MACHINE-" })
                {
                    bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).Should().Be(-1, $"{Path.GetFileName(file)} must not hold '{secret}'");
                    bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)).Should().Be(-1, $"{Path.GetFileName(file)} must not hold '{secret}' as UTF-16");
                }

                bytes.AsSpan().IndexOf(screenshotSample).Should().Be(-1, $"{Path.GetFileName(file)} must not hold the screenshot");
            }

            // The clear fields that queries need are inside the LiteDB file's own encryption (its password is in the keys
            // folder): not even the incident's ID shows in the file, nor in the screenshot files (a record names its incident by a
            // hash). The incident still opens after a restart.
            var screenshotFiles = Directory.GetFiles(Path.Combine(data, "screenshots"), "*", SearchOption.AllDirectories);
            screenshotFiles.Should().ContainSingle("the screenshot is in its school's month's segment");
            foreach (var file in new[] { "esafe.db", "esafe-log.db" }.Select(f => Path.Combine(data, f)).Where(File.Exists).Concat(screenshotFiles))
            {
                File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(incident.Id)).Should().Be(-1, file);
            }

            await using (var server = await ServerHarness.StartAsync(data))
            {
                var stored = await server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None);
                stored!.Incident.Context.Should().Contain(phrase);
                (await server.Service<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
