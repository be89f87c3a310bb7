using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// What rules match (docs/THREAT-LIBRARY.md): word sets, parts within N words of each other in order or
/// either order, context that cancels or is needed; over line breaks and through disguises.
/// </summary>
public sealed class RuleMatchTests
{
    private static readonly ThreatMatcher Matcher = TestLibraries.Matcher(
        new ThreatEntry("bring", "bring+ ~3 {knife|blade|machete} ~4 {school|lunch}", ThreatCategories.Violence, 5),
        new ThreatEntry("stab", "{stab+|cut+} ~3 him", ThreatCategories.Violence, 4, "en-GB", ["cut him some slack"], "unless 8: macbeth|film|game|fortnite"),
        new ThreatEntry("pills", "{tablets|pills} ~~3 {swallowed|took|take}", ThreatCategories.Suicide, 4),
        new ThreatEntry("notice", "notice ~6 {gone|here}", ThreatCategories.Suicide, 4, Context: "with 10: nobody|no one"),
        new ThreatEntry("bag", "{knife|blade} in my bag", ThreatCategories.Violence, 4),
        new ThreatEntry("kill", "kill everyone", ThreatCategories.Violence, 4, Context: "unless 5: {game|fortnite|minecraft}"),
        new ThreatEntry("meet", "{meet|meeting} ~3 {tonight|tomorrow}", ThreatCategories.Grooming, 4, Context: "with 10: secret|dont tell"),
        new ThreatEntry("three", "give ~3 {pills|tablets} ~~3 money", ThreatCategories.Drugs, 3));

    private static IEnumerable<TestCaseData> Cases()
    {
        // In order, within N words: "school" is the 4th word after "knife" here, the 5th there.
        yield return Hit("gonna bring a blade to school tomorrow", "bring", "bring a blade to school");
        yield return Hit("bringing a knife to the big school", "bring", "bringing a knife to the big school");
        yield return None("bring a knife to the big old school", "school is 5 words after the knife");
        yield return None("at school i will bring a knife", "in order only");
        yield return None("bring a knife", "every part is needed");
        yield return Hit("i'll bring my\nknife\nto school", "bring", "bring my\nknife\nto school");
        yield return Hit("br1ng a kn1fe to sch00l", "bring", "br1ng a kn1fe to sch00l");
        yield return Hit("B R I N G my KNIFE t0 $chool", "bring", "B R I N G my KNIFE t0 $chool");
        yield return Hit("briiing a b1ade 2 luuunch", "bring", "briiing a b1ade 2 luuunch");
        yield return Hit("wont you bring a knife to school", "bring", "bring a knife to school");
        yield return None("we can't bring a knife... it's not allowed at schools", "schools is not school");

        // Context that cancels: one of the words within 8 words of the hit, before or after.
        yield return Hit("i will stab him", "stab", "stab him");
        yield return Hit("im going to cut up him", "stab", "cut up him");
        yield return None("in macbeth they stab him in his sleep", "macbeth is near");
        yield return None("they stab him in the first scene of the film", "film is 7 words after");
        yield return Hit("they stab him in the first scene and then a lot happens and finally the film ends", "stab", "stab him");
        yield return None("cut him some slack", "the exception holds the hit");
        yield return None("in fortnite\ni stabbed him", "over a line break too");
        yield return None("in f0rtn1te i stabbed him", "context words are seen through disguises");

        // Either order.
        yield return Hit("i swallowed all the tablets", "pills", "swallowed all the tablets");
        yield return Hit("the pills i took", "pills", "pills i took");
        yield return None("i took my dog for a walk and got pills", "too far apart");

        // Context that is needed.
        yield return Hit("no one would notice if i just wasnt here anymore", "notice", "notice if i just wasnt here");
        yield return Hit("nobody will even notice when im gone", "notice", "notice when im gone");
        yield return None("did you notice the new kid here", "no nobody near");

        // A set in a phrase of one part.
        yield return Hit("got a blade in my bag", "bag", "blade in my bag");
        yield return None("got a sword in my bag", "not in the set");

        // A context on a phrase of one part; a set among the context's words.
        yield return Hit("i will kill everyone", "kill", "kill everyone");
        yield return None("i will kill everyone in fortnite tonight", "fortnite is near");
        yield return None("minecraft: kill everyone", "minecraft is near, before");
        yield return Hit("lets meet tomorrow but its our secret ok", "meet", "meet tomorrow");
        yield return Hit("meeting up tonight? dont tell your mum", "meet", "meeting up tonight");
        yield return None("lets meet tomorrow at the library", "no secret");

        // Three parts; the middle one either way round the last.
        yield return Hit("ill give money for pills", "three", "give money for pills");
        yield return None("give you pills", "money is needed");
        yield return None("give me the money and ill give you pills", "money is 5 words from the pills");
        yield return Hit("give you pills for money", "three", "give you pills for money");

        static TestCaseData Hit(string text, string id, string matched) => new TestCaseData(text, id, matched).SetArgDisplayNames(TestLibraries.Visible(text));

        static TestCaseData None(string text, string why) => new TestCaseData(text, null, why).SetArgDisplayNames(TestLibraries.Visible(text));
    }

    [TestCaseSource(nameof(Cases))]
    public void A_rule_matches_meaning_rather_than_one_word_order(string text, string? id, string matchedOrWhy)
    {
        var matches = Matcher.Scan(text);

        if (id is null)
        {
            matches.Should().BeEmpty(matchedOrWhy);
        }
        else
        {
            matches.Select(m => (m.Entry.Id, m.MatchedText(text))).Should().Contain((id, matchedOrWhy));
        }
    }

    [Test]
    public void A_rule_survives_compilation_and_loading()
    {
        var entries = new[]
        {
            new ThreatEntry("plain", "knife", ThreatCategories.Violence, 2),
            new ThreatEntry("stab", "{stab+|cut+} ~3 him", ThreatCategories.Violence, 4, "en-GB", ["cut him some slack"], "unless 8: macbeth|film"),
        };
        var compiled = TestLibraries.Compile("rules", "1", entries);

        var loaded = LibraryFormat.Read(LibraryFormat.Write(compiled));

        loaded.Entries.Should().BeEquivalentTo(entries, o => o.WithStrictOrdering());
        var matcher = new ThreatMatcher(loaded);
        matcher.Scan("ill stab him").Select(m => m.Entry.Id).Should().Equal("stab");
        matcher.Scan("in macbeth they stab him").Should().BeEmpty();
    }
}
