using System.Net;
using eSafe.Server.Security;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

public sealed class ConsoleTests
{
    private ServerHarness _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ServerHarness.StartAsync(demo: false);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/", "text/html")]
    [TestCase("/app.js", "text/javascript")]
    [TestCase("/app.css", "text/css")]
    [TestCase("/api.js", "text/javascript")]
    [TestCase("/dom.js", "text/javascript")]
    [TestCase("/school-words.js", "text/javascript")]
    [TestCase("/queue.js", "text/javascript")]
    [TestCase("/incident.js", "text/javascript")]
    [TestCase("/workflow.js", "text/javascript")]
    [TestCase("/live.js", "text/javascript")]
    [TestCase("/format.js", "text/javascript")]
    [TestCase("/severity.js", "text/javascript")]
    [TestCase("/session.js", "text/javascript")]
    [TestCase("/safeguarding.js", "text/javascript")]
    [TestCase("/dashboard.js", "text/javascript")]
    [TestCase("/proposals.js", "text/javascript")]
    [TestCase("/lib/chart.umd.min.js", "text/javascript")]
    [TestCase("/audit.js", "text/javascript")]
    [TestCase("/devices.js", "text/javascript")]
    public async Task The_console_is_served_with_a_strict_content_security_policy(string path, string mediaType)
    {
        using var http = _server.HttpClient();
        using var response = await http.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Be(SecurityHeaders.ContentSecurityPolicy)
            .And.Contain("script-src 'self'").And.NotContain("unsafe");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.Contains("Server").Should().BeFalse();
    }

    [TestCase("/app.js")]
    [TestCase("/api.js")]
    [TestCase("/dom.js")]
    [TestCase("/school-words.js")]
    [TestCase("/queue.js")]
    [TestCase("/incident.js")]
    [TestCase("/workflow.js")]
    [TestCase("/live.js")]
    [TestCase("/format.js")]
    [TestCase("/severity.js")]
    [TestCase("/session.js")]
    [TestCase("/safeguarding.js")]
    [TestCase("/dashboard.js")]
    [TestCase("/proposals.js")]
    [TestCase("/audit.js")]
    [TestCase("/devices.js")]
    public async Task The_console_never_puts_data_into_markup(string path)
    {
        using var http = _server.HttpClient();
        var script = await http.GetStringAsync(path);
        script.Should().NotContain("innerHTML").And.NotContain("outerHTML").And.NotContain("insertAdjacentHTML").And.NotContain("document.write")
            .And.NotContain("eval(").And.NotContain("new Function");
        var page = await http.GetStringAsync("/");
        page.Should().NotContain("<script>").And.NotContain("style=");
    }

    [Test]
    public async Task The_dashboards_chart_library_is_served_by_the_server_itself_at_the_version_the_lock_file_names()
    {
        using var http = _server.HttpClient();
        var script = await http.GetStringAsync("/lib/chart.umd.min.js");
        script.Should().StartWith("/*!").And.Contain("Chart.js v4.6.1");
        script.Length.Should().BeGreaterThan(100_000);
    }

    [Test]
    public async Task API_responses_are_not_cached_and_unknown_API_paths_are_problem_404s()
    {
        using var http = _server.HttpClient();
        using var response = await http.GetAsync("/api/v1/nothing-here");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }
}
