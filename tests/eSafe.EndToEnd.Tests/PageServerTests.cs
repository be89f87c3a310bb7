using System.Net;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>The test pages' server serves its folders and nothing outside them.</summary>
[TestFixture]
public sealed class PageServerTests
{
    [TestCase("/capture/textarea.html")]
    [TestCase("/chat.html")]
    [TestCase("/editors/quill.html")]
    public void A_page_in_a_subfolder_is_served(string path)
    {
        using var server = new PageServer();

        server.Resolve(path).Should().NotBeNull().And.EndWith(path.Replace('/', Path.DirectorySeparatorChar));
    }

    [TestCase("/../eSafe.EndToEnd.Tests.dll")]
    [TestCase("/capture/../../eSafe.EndToEnd.Tests.dll")]
    [TestCase("/capture/%2e%2e/%2e%2e/eSafe.EndToEnd.Tests.dll")]
    [TestCase("/capture%2f..%2f..%2feSafe.EndToEnd.Tests.dll")]
    [TestCase("/capture/..%5c..%5ceSafe.EndToEnd.Tests.dll")]
    [TestCase("//etc/passwd")]
    [TestCase("/C:/Windows/win.ini")]
    [TestCase("/capture/")]
    [TestCase("/")]
    public void A_path_that_leaves_the_pages_folders_is_refused(string path)
    {
        using var server = new PageServer();

        server.Resolve(path).Should().BeNull();
    }

    [Test]
    public async Task Any_host_name_is_answered_and_a_fallback_page_stands_for_every_path()
    {
        using var server = new PageServer(fallback: "search/results.html");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "search?q=anything"));
        request.Headers.Host = "www.google.com";

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<title>Search results</title>");
    }
}
