using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// The end of a phrase that no other phrase shares is compiled as a tail of letters rather than one state a
/// letter: it must match exactly as the letters would, in a compiled and in a loaded library alike.
/// </summary>
public sealed class TailTests
{
    private static readonly ThreatEntry[] Entries =
    [
        new("t-1", "kill", ThreatCategories.Violence, 2),
        new("t-2", "kill myself tonight", ThreatCategories.Suicide, 5),
        new("t-3", "paedo*", ThreatCategories.Grooming, 4),
        new("t-4", "send nudes", ThreatCategories.Grooming, 4, "en-GB", ["send nudes of cats"]),
        new("t-5", "zabiję się", ThreatCategories.Suicide, 5, "pl"),
    ];

    private static readonly CompiledLibrary Compiled = TestLibraries.Compile("tails", "1", Entries);

    [TestCase("kill myself", "t-1")]
    [TestCase("kill myself tonight", "t-1 t-2")]
    [TestCase("KILL MYS3LF TONIGHT!", "t-1 t-2")]
    [TestCase("kill myself tonigh", "t-1")]
    [TestCase("kill myself tonightly", "t-1")]
    [TestCase("kill myself tonight x", "t-1 t-2")]
    [TestCase("paedo", "t-3")]
    [TestCase("paedophile", "t-3")]
    [TestCase("pae", "")]
    [TestCase("send nudes", "t-4")]
    [TestCase("send nudes of cats", "")]
    [TestCase("send nude", "")]
    [TestCase("zabije sie", "t-5")]
    [TestCase("zabije si", "")]
    public void A_phrase_ending_in_a_tail_matches_as_its_letters_would(string text, string ids)
    {
        var expected = ids.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        foreach (var library in new[] { Compiled, LibraryFormat.Read(LibraryFormat.Write(Compiled)) })
        {
            new ThreatMatcher(library).Scan(text).Select(m => m.Entry.Id).Should().BeEquivalentTo(expected, "scanning '{0}'", text);
        }
    }

    [Test]
    public void A_longer_unshared_phrase_end_takes_no_more_states()
    {
        static int States(string phrase) => TestLibraries.Compile("tails", "1", new ThreatEntry("t-1", "hate", ThreatCategories.Bullying, 2),
            new ThreatEntry("t-2", phrase, ThreatCategories.Bullying, 3)).StateCount;

        // No l in either: a phrase's l also stands for an i, which branches the trie.
        States("hate you hate you to a hot hut").Should().Be(States("hate you"), "the longer phrase uses no other letters");
    }
}
