using eSafe.Detection.Sources;

namespace eSafe.Detection.Tests;

/// <summary>
/// The default library's rules on sentences as pupils write them: each category's meaning caught in words
/// no phrase of the library has in that order, and the lessons, stories, sport, games and idioms that use
/// the same words left alone.
/// </summary>
public sealed class DefaultLibraryRuleTests
{
    private static ThreatMatcher? s_matcher;

    private static ThreatMatcher Matcher => s_matcher ??= new ThreatMatcher(CompiledLibrary.Compile(LibrarySource.ReadFolder(SourceFolder())));

    // Intent and plans: weapons, pills, places, times.
    [TestCase("im bringing my brothers knife in on monday", ThreatCategories.Violence)]
    [TestCase("he keeps a machete under his bed for the opps", ThreatCategories.Violence)]
    [TestCase("swear down im gonna batter him after school", ThreatCategories.Violence)]
    [TestCase("they chased him with a bottle outside the chicken shop", ThreatCategories.Violence)]
    [TestCase("my stepdad hits me when hes drunk", ThreatCategories.Violence)]
    [TestCase("i'll torch your house tonight and burn it down", ThreatCategories.Violence)]
    [TestCase("ive been saving up my mums sleeping tablets", ThreatCategories.Suicide)]
    [TestCase("took a whole packet of paracetamol an hour ago", ThreatCategories.Suicide)]
    [TestCase("gonna jump off the bridge by the canal after school", ThreatCategories.Suicide)]
    // Hopelessness and farewells.
    [TestCase("would anyone even care if i was gone", ThreatCategories.Suicide)]
    [TestCase("everyone would be better off without me tbh", ThreatCategories.Suicide)]
    [TestCase("sorry for everything guys. goodbye", ThreatCategories.Suicide)]
    [TestCase("please look after my rabbit when im gone", ThreatCategories.Suicide)]
    // Self-harm and eating disorders.
    [TestCase("i want to cut again so badly", ThreatCategories.SelfHarm)]
    [TestCase("wearing a hoodie in pe so nobody sees my scars on my arms", ThreatCategories.SelfHarm)]
    [TestCase("havent eaten in 4 days and i feel good", ThreatCategories.SelfHarm)]
    [TestCase("skipped breakfast and lunch again, need to lose more weight", ThreatCategories.SelfHarm)]
    [TestCase("took 6 laxatives to lose the weight before the party", ThreatCategories.SelfHarm)]
    // Grooming: secrecy, gifts, meeting, images, age.
    [TestCase("this is our little secret ok", ThreatCategories.Grooming)]
    [TestCase("i'll buy you the new iphone but dont tell anyone", ThreatCategories.Grooming)]
    [TestCase("send me a pic of you in bed x", ThreatCategories.Grooming)]
    [TestCase("you're so mature for your age", ThreatCategories.Grooming)]
    [TestCase("delete our messages so your mum doesnt find them", ThreatCategories.Grooming)]
    // Exploitation (county lines).
    [TestCase("the olders want me to hold a package for them, they'll pay me cash", ThreatCategories.Drugs)]
    [TestCase("they sent me country for a week to run their line", ThreatCategories.Drugs)]
    // Radicalisation and discrimination.
    [TestCase("i want to join isis and fight", ThreatCategories.Extremism)]
    [TestCase("someone should shoot up the mosque and kill all the muslims", ThreatCategories.Extremism)]
    [TestCase("gypsies are dirty thieves", ThreatCategories.Discrimination)]
    [TestCase("gays shouldn't be allowed to adopt", ThreatCategories.Discrimination)]
    // Bullying.
    [TestCase("we're gonna jump him at the bus stop", ThreatCategories.Bullying)]
    [TestCase("pay me £50 or i share your pics with everyone", ThreatCategories.Bullying)]
    public void A_rule_catches_what_pupils_write(string text, string category)
    {
        Matcher.Scan(text).Select(m => m.Entry.Category).Should().Contain(category, "'{0}' hits {1}", text,
            string.Join(", ", Matcher.Scan(text).Select(m => $"{m.Entry.Id} '{m.Entry.Phrase}'")));
    }

    // Literature, history, sport, games, idioms, health and sex education, news.
    [TestCase("in act 2 macbeth stabs duncan in his sleep")]
    [TestCase("lady macbeth tells him to stab the guards")]
    [TestCase("in of mice and men george shoots lennie")]
    [TestCase("romeo takes the poison and juliet stabs herself with his dagger, we have to write an essay on it")]
    [TestCase("caesar was stabbed by brutus in the senate")]
    [TestCase("the gunpowder plot was a plan to blow up parliament in 1605")]
    [TestCase("in ww2 the nazis gassed millions of jews in the holocaust, history lesson")]
    [TestCase("suffragettes argued that women should be allowed to vote")]
    [TestCase("we battered them 5-0 in the match on saturday")]
    [TestCase("im going to smash you at fifa tonight")]
    [TestCase("i got shot in fortnite by a sweaty")]
    [TestCase("i'll kill you in warzone later")]
    [TestCase("this homework is killing me")]
    [TestCase("my mum is going to kill me when she sees my report")]
    [TestCase("i'm dead, that video was so funny")]
    [TestCase("in pshe we learned about the signs of self harm and how to support a friend")]
    [TestCase("the nurse told us about contraception and consent in rse")]
    [TestCase("our science lesson was about what paracetamol overdose does to the liver")]
    [TestCase("the news said a man was jailed for running a county lines gang")]
    [TestCase("dont tell anyone about the surprise party for sarah")]
    [TestCase("can you send me a pic of the homework")]
    [TestCase("my dog killed a rabbit in the garden")]
    [TestCase("the cake cuts are deeper on this side, use a bread knife")]
    [TestCase("i havent eaten since breakfast im starving")]
    [TestCase("we're meeting at the library tomorrow after school")]
    [TestCase("i cut my hair again, do you like my fringe")]
    public void A_rule_leaves_ordinary_text_alone(string text)
    {
        Matcher.Scan(text).Select(m => $"{m.Entry.Id} '{m.Entry.Phrase}' on '{m.MatchedText(text)}'").Should().BeEmpty();
    }

    private static string SourceFolder()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "eSafe.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (with eSafe.sln) is above the test directory");
        return Path.Combine(root!.FullName, "core", "eSafe.Detection", "Libraries", "default");
    }
}
