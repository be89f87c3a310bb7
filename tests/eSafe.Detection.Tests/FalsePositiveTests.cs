using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// Ordinary school and chat sentences that must not hit a library full of risky short words, the sentences
/// that must, and the inflections of <c>word+</c>.
/// </summary>
public sealed class FalsePositiveTests
{
    private static readonly ThreatMatcher Matcher = TestLibraries.Matcher(
        new("vio-kill", "kill+", ThreatCategories.Violence, 3, Exceptions: ["kill+ the process", "kill+ time"]),
        new("sui-kms", "kill+ myself", ThreatCategories.Suicide, 5),
        new("sui-die", "die+", ThreatCategories.Suicide, 2),
        new("sh-cutme", "cut+ myself", ThreatCategories.SelfHarm, 5),
        new("sh-cut", "cut", ThreatCategories.SelfHarm, 1),
        new("sui-hang", "hang", ThreatCategories.Suicide, 2, Exceptions: ["hang out", "hang on", "hang up"]),
        new("sh-slit", "slit", ThreatCategories.SelfHarm, 3),
        new("bul-hate", "hate+", ThreatCategories.Bullying, 1),
        new("vio-rape", "rape", ThreatCategories.Violence, 4),
        new("por-cock", "cock", ThreatCategories.Pornography, 2),
        new("bul-cunt", "cunt", ThreatCategories.Bullying, 3),
        new("bul-ass", "ass", ThreatCategories.Bullying, 1),
        new("bul-hell", "hell", ThreatCategories.Bullying, 1),
        new("vio-shoot", "shoot", ThreatCategories.Violence, 3, Exceptions: ["photo shoot"]),
        new("vio-bomb", "bomb", ThreatCategories.Violence, 3, Exceptions: ["bath bomb", "photo bomb"]),
        new("vio-gun", "gun", ThreatCategories.Violence, 2),
        new("dru-crack", "crack", ThreatCategories.Drugs, 2),
        new("dru-weed", "weed", ThreatCategories.Drugs, 2),
        new("dru-pot", "pot", ThreatCategories.Drugs, 1),
        new("dru-coke", "coke", ThreatCategories.Drugs, 2, Exceptions: ["diet coke", "coke zero"]),
        new("gam-bet", "bet", ThreatCategories.Gambling, 1),
        new("gam-gamble", "gamble+", ThreatCategories.Gambling, 2),
        new("ext-nazi", "nazi*", ThreatCategories.Extremism, 3),
        new("ext-isis", "isis", ThreatCategories.Extremism, 4),
        new("bul-hoe", "hoe", ThreatCategories.Bullying, 2),
        new("dis-fag", "fag", ThreatCategories.Discrimination, 3));

    [TestCase("what a skill")]
    [TestCase("my skills are improving")]
    [TestCase("the skilled workers")]
    [TestCase("Scunthorpe United won again")]
    [TestCase("my therapist is really nice")]
    [TestCase("can I have some grapes")]
    [TestCase("we made a fruit cocktail in food tech")]
    [TestCase("the assessment is on Monday")]
    [TestCase("see you in class")]
    [TestCase("a massive class assembly")]
    [TestCase("an assignment on the Tudors")]
    [TestCase("read the passage on page twelve")]
    [TestCase("she lives in Essex")]
    [TestCase("Cassie is coming over")]
    [TestCase("I found a shell on the beach")]
    [TestCase("a shellfish allergy")]
    [TestCase("Michelle is my best friend")]
    [TestCase("hello everyone")]
    [TestCase("Hellenic art and culture")]
    [TestCase("my mum is on a diet")]
    [TestCase("a dietitian came to school")]
    [TestCase("I studied all night")]
    [TestCase("studies show it works")]
    [TestCase("the diesel engine")]
    [TestCase("the soldiers marched")]
    [TestCase("the audience clapped")]
    [TestCase("scrape the ice off the windscreen")]
    [TestCase("the drapes are blue")]
    [TestCase("fields of rapeseed")]
    [TestCase("the trapeze artist")]
    [TestCase("data analysis homework")]
    [TestCase("the crisis in the news")]
    [TestCase("have you played Assassin's Creed")]
    [TestCase("I bought a bath bomb for my sister")]
    [TestCase("the Bombay mix is spicy")]
    [TestCase("how do I kill the process on linux")]
    [TestCase("killing the process fixed it")]
    [TestCase("we need to kill time before the bus")]
    [TestCase("don't be a killjoy")]
    [TestCase("the photo shoot was fun")]
    [TestCase("the pilot sat in the cockpit")]
    [TestCase("a peacock in the park")]
    [TestCase("Hitchcock films are scary")]
    [TestCase("a cocker spaniel puppy")]
    [TestCase("the bass guitar is loud")]
    [TestCase("this puppy is so cute")]
    [TestCase("put the cutlery away")]
    [TestCase("cuticle oil")]
    [TestCase("the program will execute tonight")]
    [TestCase("the plane is in the hangar")]
    [TestCase("there has been a change of plan")]
    [TestCase("we can hang out after school")]
    [TestCase("hang on a second")]
    [TestCase("snakes slither through the grass")]
    [TestCase("cheese and crackers")]
    [TestCase("a tweed jacket")]
    [TestCase("we pulled weeds in the garden")]
    [TestCase("potato salad for lunch")]
    [TestCase("let's meet at the usual spot")]
    [TestCase("a teapot on the table")]
    [TestCase("pottery club on Tuesday")]
    [TestCase("the despot ruled for years")]
    [TestCase("can I have a diet coke")]
    [TestCase("a better idea")]
    [TestCase("learn the alphabet")]
    [TestCase("between the lines")]
    [TestCase("Gambia is in west Africa")]
    [TestCase("Nazareth is a town")]
    [TestCase("my shoes are wet")]
    [TestCase("the lesson has begun")]
    [TestCase("the Gunpowder Plot of 1605")]
    [TestCase("a burgundy jumper")]
    [TestCase("Fagin is a character in Oliver Twist")]
    [TestCase("the king and queen")]
    [TestCase("Henry VIII had six wives and the kings before him")]
    [TestCase("please tell my next of kin")]
    [TestCase("it's a pier by the sea")]
    [TestCase("page 45 of the textbook")]
    [TestCase("the bell rings at 7:45")]
    [TestCase("a $ 5 fee")]
    [TestCase("I paid a $ 5 fee for the trip")]
    [TestCase("see you @ school")]
    [TestCase("meet me @ the gate")]
    [TestCase("yes ! no")]
    [TestCase("a + b = c")]
    [TestCase("x + y = 5")]
    [TestCase("4 + 5 = 9")]
    [TestCase("this | that | the other")]
    [TestCase("I got 5 @ 3 each")]
    [TestCase("a ! b")]
    public void An_ordinary_sentence_does_not_hit(string text)
    {
        Matcher.Scan(text).Select(m => $"{m.Entry.Id}: {m.MatchedText(text)}").Should().BeEmpty();
    }

    // The automaton counts doubled letters once, so "ass" reaches "as", "shoot" "shot", "weed" "wed" and "we'd";
    // a hit is then checked letter run by letter run. "he'll" is he + 'll: a one-word phrase does not run across
    // an apostrophe.
    [TestCase("as soon as possible")]
    [TestCase("he'll be late")]
    [TestCase("we'd like to come")]
    [TestCase("we wed in June")]
    [TestCase("he had a shot at goal")]
    [TestCase("she shot him a look")]
    [TestCase("chapters 4 5 and 6")]
    [TestCase("was it a good film")]
    [TestCase("I'll be there")]
    [TestCase("she'll call you")]
    [TestCase("it's a hit")]
    [TestCase("let's go")]
    public void An_ordinary_sentence_that_reads_as_a_doubled_word(string text)
    {
        Matcher.Scan(text).Select(m => $"{m.Entry.Id}: {m.MatchedText(text)}").Should().BeEmpty();
    }

    [TestCase("you ass", "bul-ass:ass")]
    [TestCase("you @$$", "bul-ass:@$$")]
    [TestCase("what the hell", "bul-hell:hell")]
    [TestCase("I'll shoot you", "vio-shoot:shoot")]
    [TestCase("after the photo shoot I will shoot him", "vio-shoot:shoot")]
    [TestCase("a bath bomb is not a bomb", "vio-bomb:bomb")]
    [TestCase("he has a gun", "vio-gun:gun")]
    [TestCase("the nazis", "ext-nazi:nazis")]
    [TestCase("join isis", "ext-isis:isis")]
    [TestCase("want some weed", "dru-weed:weed")]
    [TestCase("we smoke pot", "dru-pot:pot")]
    [TestCase("do you do coke", "dru-coke:coke")]
    [TestCase("crack cocaine", "dru-crack:crack")]
    [TestCase("I bet you can't", "gam-bet:bet")]
    [TestCase("he likes to gamble", "gam-gamble:gamble")]
    [TestCase("you're a cunt", "bul-cunt:cunt")]
    [TestCase("stop being a fag", "dis-fag:fag")]
    [TestCase("that hoe", "bul-hoe:hoe")]
    [TestCase("rape is a crime", "vio-rape:rape")]
    [TestCase("slit my wrists", "sh-slit:slit")]
    [TestCase("I just want to hang", "sui-hang:hang")]
    [TestCase("I cut", "sh-cut:cut")]
    [TestCase("I hate you", "bul-hate:hate")]
    [TestCase("he is a killer", "vio-kill:killer")]
    [TestCase("I'm going to kill myself", "vio-kill:kill", "sui-kms:kill myself")]
    [TestCase("killmyself", "sui-kms:killmyself")]
    [TestCase("I want to die", "sui-die:die")]
    public void A_risky_word_used_as_itself_hits(string text, params string[] expected)
    {
        Matcher.Scan(text).Select(m => $"{m.Entry.Id}:{m.MatchedText(text)}").Should().BeEquivalentTo(expected);
    }

    [TestCase("kill+ myself", "I keep killing myself", true)]
    [TestCase("kill+ myself", "I killed myself laughing", true)]
    [TestCase("kill+ myself", "he kills myself", true)]
    [TestCase("kill+ myself", "I kill myself", true)]
    [TestCase("kill+ myself", "I skill myself", false)]
    [TestCase("kill+ myself", "kill yourself", false)]
    [TestCase("kill+", "the killers", true)]
    [TestCase("kill+", "the king", false)]
    [TestCase("kill+", "kin", false)]
    [TestCase("cut+ myself", "I've been cutting myself", true)]
    [TestCase("cut+ myself", "I cut myself", true)]
    [TestCase("cut+ myself", "he cuts myself", true)]
    [TestCase("cut+ myself", "cute myself", false)]
    [TestCase("hate+", "stop hating me", true)]
    [TestCase("hate+", "she hates me", true)]
    [TestCase("hate+", "he hated it", true)]
    [TestCase("hate+", "haters", true)]
    [TestCase("hate+", "whatever", false)]
    [TestCase("hate+", "a hat", false)]
    [TestCase("die+", "he dies", true)]
    [TestCase("die+", "I'm dying", true)]
    [TestCase("die+", "she died", true)]
    [TestCase("die+", "on a diet", false)]
    [TestCase("die+", "I studied", false)]
    [TestCase("die+", "roll the dice", false)]
    [TestCase("cry+", "she cries", true)]
    [TestCase("cry+", "she cried", true)]
    [TestCase("cry+", "stop crying", true)]
    [TestCase("bully+", "I was bullied", true)]
    [TestCase("bully+", "bullies", true)]
    [TestCase("bully+", "bullying", true)]
    [TestCase("stab+", "stabbing", true)]
    [TestCase("stab+", "stabbed", true)]
    [TestCase("stab+", "stable", false)]
    [TestCase("stab+", "stabed", false)]
    [TestCase("cut+ myself", "cuting myself", false)]
    [TestCase("strip+", "she stripped", true)]
    [TestCase("strip+", "a striped shirt", false)]
    [TestCase("hop+", "hopping mad", true)]
    [TestCase("hop+", "I hoped so", false)]
    [TestCase("bet+", "betting", true)]
    [TestCase("quit+", "quitting", true)]
    [TestCase("admit+", "admitted", true)]
    [TestCase("visit+", "visited", true)]
    [TestCase("travel+", "travelling", true)]
    [TestCase("travel+", "traveling", true)]
    [TestCase("kill+", "kil", false)]
    [TestCase("kill+", "kiiil", false)]
    [TestCase("kill+", "kiiilll", true)]
    [TestCase("kill+", "k i l l", true)]
    [TestCase("weed", "weeeeed", true)]
    [TestCase("weed", "wed", false)]
    [TestCase("shoot", "shot", false)]
    [TestCase("shot", "shoot", false)]
    [TestCase("shoot", "shooooot", true)]
    [TestCase("ass", "a s s", true)]
    [TestCase("ass", "a$$", true)]
    [TestCase("ass", "4 5", false)]
    [TestCase("hell", "he'll", false)]
    [TestCase("hell", "hell's bells", true)]
    [TestCase("killer", "the killer's knife", true)]
    [TestCase("bomb", "the bomb's timer", true)]
    [TestCase("don't", "don't", true)]
    [TestCase("want to die", "wanttodie", true)]
    [TestCase("want to die", "wantodie", true)]
    [TestCase("want to die", "want'to die", true)]
    [TestCase("sex", "let's ex", false)]
    [TestCase("punch+", "he punches", true)]
    [TestCase("gamble+", "gambling", true)]
    [TestCase("gamble+", "a gambler", true)]
    [TestCase("paedo*", "paedophiles", true)]
    [TestCase("paedo*", "a paedo", true)]
    [TestCase("paedo*", "encyclopaedia", false)]
    public void An_inflected_or_prefixed_word_hits_its_entry(string phrase, string text, bool hits)
    {
        var matcher = TestLibraries.Matcher(new ThreatEntry("e-1", phrase, ThreatCategories.Violence, 3));

        matcher.Scan(text).Should().HaveCount(hits ? 1 : 0, "'{0}' against '{1}'", phrase, text);
    }
}
