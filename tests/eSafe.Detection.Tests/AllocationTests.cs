using System.Text;
using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>Scanning ordinary text allocates nothing once the thread's buffers are warm.</summary>
public sealed class AllocationTests
{
    [Test]
    public void Scanning_a_hit_free_2_KB_text_allocates_nothing_once_warm()
    {
        var matcher = new ThreatMatcher(
            TestLibraries.Compile("global", "1", Entries("g", ["kill+ myself", "cut+ myself", "bomb", "paedo*", "don't tell your parents", "خودکشی", "weed", "die+"])),
            TestLibraries.Compile("school", "1", Entries("s", ["mr grimsby", "the bike sheds"])));
        var text = HitFreeText(2048);
        matcher.Scan(text).Should().BeEmpty("the text must be free of hits");
        matcher.Scan(text);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            matcher.Scan(text);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    private static ThreatEntry[] Entries(string prefix, string[] phrases) =>
        [.. phrases.Select((p, i) => new ThreatEntry($"{prefix}-{i}", p, ThreatCategories.Violence, 3))];

    // Words that walk into the automaton (k, ki, cu, bo, pa, do, me, th ...) without completing a phrase,
    // with the disguises the skeleton reads through.
    private static string HitFreeText(int length)
    {
        string[] words = ["skill", "kind", "cute", "cutlery", "bombastic", "paddle", "don't", "tell", "the", "bikes", "Mr", "Grimsby's",
            "K1ND", "ｋｉｎｄ", "zero\u200Bwidth", "straße", "æther", "𝐛𝐨𝐨𝐤", "خود", "weeds", "diet", "studied", "t e s t", "$ale", "@home", "!!"];
        var text = new StringBuilder();
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(words[i * 7 % words.Length]).Append(i % 9 == 8 ? ". " : " ");
        }

        return text.ToString(0, length);
    }
}
