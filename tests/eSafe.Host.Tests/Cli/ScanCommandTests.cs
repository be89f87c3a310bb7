using System.Text;
using System.Text.Json;
using eSafe.Host.Cli;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Cli;

/// <summary>The <c>scan</c> contract: one JSON object a line, in order, spans in UTF-16 units of that line.</summary>
public sealed class ScanCommandTests
{
    [Test]
    public void Each_input_line_gives_one_json_line_in_order()
    {
        var output = Scan("hello there\ni want to k1ll myself\n\nsend me a pic please");

        output.Should().HaveCount(4);
        output.Select(o => o.GetProperty("line").GetInt32()).Should().Equal(1, 2, 3, 4);
        output[0].GetProperty("matches").GetArrayLength().Should().Be(0);
        output[2].GetProperty("matches").GetArrayLength().Should().Be(0);

        var hit = output[1].GetProperty("matches")[0];
        hit.GetProperty("id").GetString().Should().Be("st-sui-001");
        hit.GetProperty("category").GetString().Should().Be("suicide");
        hit.GetProperty("severity").GetInt32().Should().Be(5);
        hit.GetProperty("start").GetInt32().Should().Be(10);
        hit.GetProperty("length").GetInt32().Should().Be(11);
        hit.GetProperty("text").GetString().Should().Be("k1ll myself");
        hit.GetProperty("context").GetString().Should().Contain("i want to k1ll myself");

        output[3].GetProperty("matches")[0].GetProperty("id").GetString().Should().Be("st-gro-003");
    }

    [Test]
    public void Spans_count_utf16_units_of_the_line()
    {
        var hit = Scan("😀😀 kill myself")[0].GetProperty("matches")[0];

        hit.GetProperty("start").GetInt32().Should().Be(5);
        hit.GetProperty("length").GetInt32().Should().Be(11);
    }

    [Test]
    public void Empty_input_gives_no_output()
    {
        Scan("").Should().BeEmpty();
    }

    private static List<JsonElement> Scan(string input)
    {
        using var output = new MemoryStream();
        ScanCommand.Run(TestLibrary.Matcher, new MemoryStream(Encoding.UTF8.GetBytes(input)), output);
        return [.. Encoding.UTF8.GetString(output.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
