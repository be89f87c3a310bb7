namespace eSafe.Detection.Tests;

/// <summary>Every disguise of docs/THREAT-LIBRARY.md, alone and mixed, and the span each hit maps back to.</summary>
public sealed class ObfuscationTests
{
    private static readonly ThreatMatcher Matcher = new(CompiledLibrary.Compile(new ThreatLibrary("test", "1",
    [
        new ThreatEntry("sui-1", "kill+ myself", ThreatCategories.Suicide, 5),
        new ThreatEntry("sui-2", "kms", ThreatCategories.Suicide, 4),
        new ThreatEntry("sui-3", "suicide", ThreatCategories.Suicide, 4),
        new ThreatEntry("sh-1", "cut+ myself", ThreatCategories.SelfHarm, 5),
        new ThreatEntry("vio-1", "kill", ThreatCategories.Violence, 2, Exceptions: ["kill the process", "kill time"]),
        new ThreatEntry("vio-2", "bomb", ThreatCategories.Violence, 3, Exceptions: ["bath bomb"]),
        new ThreatEntry("sh-2", "die", ThreatCategories.SelfHarm, 2),
        new ThreatEntry("bul-1", "loser", ThreatCategories.Bullying, 2),
        new ThreatEntry("por-1", "cock", ThreatCategories.Pornography, 2),
        new ThreatEntry("por-2", "cunt", ThreatCategories.Pornography, 3),
        new ThreatEntry("gro-1", "paedo*", ThreatCategories.Grooming, 4),
        new ThreatEntry("dis-1", "rape", ThreatCategories.Violence, 4),
        new ThreatEntry("gro-2", "don't tell your parents", ThreatCategories.Grooming, 5),
        new ThreatEntry("ur-1", "خودکشی", ThreatCategories.Suicide, 5, "ur"),
    ])));

    [TestCase("i want to kill myself", "kill myself")]
    [TestCase("I WANT TO KILL MYSELF", "KILL MYSELF")]
    [TestCase("i keep killing myself inside", "killing myself")]
    [TestCase("kíll mÿsélf", "kíll mÿsélf")]
    [TestCase("ki\u200Bll my\u200Dself", "ki\u200Bll my\u200Dself")]
    [TestCase("\u202Ekill myself\u202C", "kill myself")]
    [TestCase("кіll myѕelf", "кіll myѕelf")]
    [TestCase("κιll myself", "κιll myself")]
    [TestCase("ｋｉｌｌ ｍｙｓｅｌｆ", "ｋｉｌｌ ｍｙｓｅｌｆ")]
    [TestCase("k1ll mys3lf", "k1ll mys3lf")]
    [TestCase("k!ll my$elf", "k!ll my$elf")]
    [TestCase("k i l l m y s e l f", "k i l l m y s e l f")]
    [TestCase("k.i.l.l m.y.s.e.l.f", "k.i.l.l m.y.s.e.l.f")]
    [TestCase("kiiiillll myseeeelf", "kiiiillll myseeeelf")]
    [TestCase("killmyself", "killmyself")]
    [TestCase("K-1-L-L  mY$3lf!!", "K-1-L-L  mY$3lf")]
    [TestCase("K-1-L-L  mY$$$3lf!!", "K-1-L-L  mY$$$3lf")]
    [TestCase("i'll just kms", "kms")]
    [TestCase("thinking about $u1c1d3 again", "$u1c1d3")]
    [TestCase("𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟", "𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟")]
    [TestCase("dont tell your parents ok", "dont tell your parents")]
    [TestCase("میں خودکشی کرنا چاہتا ہوں", "خودکشی")]
    public void A_disguised_phrase_still_hits_and_maps_back_to_its_span(string text, string expectedSpan)
    {
        var matches = Matcher.Scan(text);

        matches.Should().NotBeEmpty();
        matches.Select(m => m.MatchedText(text)).Should().Contain(expectedSpan);
    }

    [TestCase("what a skill")]
    [TestCase("Scunthorpe United")]
    [TestCase("my therapist is nice")]
    [TestCase("grapes are nice")]
    [TestCase("a cocktail party")]
    [TestCase("how to kill the process on linux")]
    [TestCase("we had to kill time")]
    [TestCase("i bought a bath bomb")]
    [TestCase("we studied diesel engines")]
    [TestCase("the skill tree")]
    [TestCase("homework is due on friday")]
    public void Ordinary_text_does_not_hit(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().BeEmpty();
    }

    [Test]
    public void A_prefix_entry_hits_words_that_start_with_it()
    {
        Matcher.Scan("he is a paedophile").Select(m => m.Entry.Id).Should().Contain("gro-1");
    }
}
