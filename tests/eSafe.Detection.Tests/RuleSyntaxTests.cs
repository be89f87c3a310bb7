using eSafe.Detection.Compilation;
using static eSafe.Detection.Sources.LibrarySource;

namespace eSafe.Detection.Tests;

/// <summary>
/// The syntax of rules (docs/THREAT-LIBRARY.md): word sets, <c>~N</c> and <c>~~N</c> between parts, and the
/// context column; what parses, and every mistake refused with its file and line.
/// </summary>
public sealed class RuleSyntaxTests
{
    private const string Headers = "category: violence\nlanguage: en-GB\n\n";
    private static readonly SourceFile Manifest = new(ManifestName, "name: rules\nversion: 1\n");

    [Test]
    public void A_rule_with_sets_links_exceptions_and_context_parses_into_its_entry()
    {
        var library = Read(Manifest, [new SourceFile("en-GB/violence.txt", Headers + """
            vi-0100 | 4 | {stab+|cut+} ~3 him | {cut+|stab+} him some slack | unless 8: macbeth|film|game|fortnite
            vi-0101 | 5 | bring {knife|blade} ~4 {school|lunch} ~~2 tomorrow
            vi-0102 | 3 | {knife|blade} in my bag | | with 5: school; unless 3: {cooking|kitchen}
            """)]);

        library.Entries.Should().BeEquivalentTo(
            [
                new ThreatEntry("vi-0100", "{stab+|cut+} ~3 him", ThreatCategories.Violence, 4, "en-GB", ["{cut+|stab+} him some slack"],
                    "unless 8: macbeth|film|game|fortnite"),
                new ThreatEntry("vi-0101", "bring {knife|blade} ~4 {school|lunch} ~~2 tomorrow", ThreatCategories.Violence, 5, "en-GB", [], ""),
                new ThreatEntry("vi-0102", "{knife|blade} in my bag", ThreatCategories.Violence, 3, "en-GB", [], "with 5: school; unless 3: {cooking|kitchen}"),
            ],
            options => options.WithStrictOrdering());
        RuleSyntax.Parts(library.Entries[1].Phrase).Should().Equal("bring {knife|blade}", "{school|lunch}", "tomorrow");
        RuleSyntax.Links(library.Entries[1].Phrase).Should().Equal(new RuleSyntax.Link(4, false), new RuleSyntax.Link(2, true));
        ContextSyntax.Clauses(library.Entries[2].Context).Should().BeEquivalentTo(
            [new ContextSyntax.Clause(true, 5, ["school"]), new ContextSyntax.Clause(false, 3, ["{cooking|kitchen}"])], o => o.WithStrictOrdering());
    }

    [Test]
    public void A_set_stands_for_each_of_its_words_with_their_marks()
    {
        PhraseSyntax.Expand("{stab+|knife} him").Select(f => f.Plain).Should().BeEquivalentTo(
            ["stab him", "stabs him", "stabbed him", "stabbing him", "stabber him", "stabbers him", "knife him"]);
        PhraseSyntax.Expand("my {paedo*|nonce}").Should().BeEquivalentTo([("my paedo", true), ("my nonce", false)]);
    }

    private static IEnumerable<TestCaseData> BadRules()
    {
        yield return Bad("a set not closed", "{knife|blade school", "*'{knife|blade' in '{knife|blade school' is not a set: write the words between one '{' and one '}'*");
        yield return Bad("a set closed twice", "{knife|blade}} school", "*'{knife|blade}}' in '{knife|blade}} school' is not a set*");
        yield return Bad("a set with a space in it", "{kni fe|blade}", "*'{kni' in '{kni fe|blade}' is not a set*");
        yield return Bad("a set of one word", "{knife} school", "*the set '{knife}' in '{knife} school' must have 2 to 64 words");
        yield return Bad("a set with an empty word", "{knife||blade}", "*'' in '{knife||blade}' is not a word with at most one '+' or '*' after it");
        yield return Bad("a set with a word twice", "{knife|knife}", "*the set '{knife|knife}' in '{knife|knife}' has a word twice");
        yield return Bad("a set inside a set", "{a|{b|c}}", "*'{a|{b|c}}' in '{a|{b|c}}' is not a set*");
        yield return Bad("a set glued to a word", "my{knife|blade}", "*'my{knife|blade}' in 'my{knife|blade}' is not a set*");
        yield return Bad("a mark inside a set's word", "{knife|bla+de}", "*'bla+de' in '{knife|bla+de}' has '+' or '*' inside it");
        yield return Bad("'*' in a set before the last word", "{paedo*|nonce} pics", "*'*' can only end the last word ('{paedo*|nonce} pics')");
        yield return Bad("a set's word without a letter", "{knife|...}", "*'...' in '{knife|...}' has no letter to match");
        yield return Bad("a link at the end", "knife ~4", "*'knife ~4' ends with '~': a part must follow it");
        yield return Bad("a link at the start", "~4 knife", "*'~4' in '~4 knife' must come between two parts*");
        yield return Bad("two links in a row", "knife ~4 ~2 school", "*'~2' in 'knife ~4 ~2 school' must come between two parts*");
        yield return Bad("a link of 0", "knife ~0 school", "*'~0' in 'knife ~0 school' is not '~N' or '~~N' with N from 1 to 20");
        yield return Bad("a link of 21", "knife ~~21 school", "*'~~21' in 'knife ~~21 school' is not '~N' or '~~N' with N from 1 to 20");
        yield return Bad("a link without a number", "knife ~ school", "*'~' in 'knife ~ school' is not '~N' or '~~N'*");
        yield return Bad("a link of three", "knife ~~~3 school", "*'~~~3' in 'knife ~~~3 school' is not '~N' or '~~N'*");
        yield return Bad("a link glued to a word", "knife~4 school", "*'knife~4' in 'knife~4 school': '~' must stand alone between parts*");
        yield return Bad("nine parts", "a1 ~1 a2 ~1 a3 ~1 a4 ~1 a5 ~1 a6 ~1 a7 ~1 a8 ~1 a9", "*'a1 ~1 a2 ~1 a3 ~1 a4 ~1 a5 ~1 a6 ~1 a7 ~1 a8 ~1 a9' has more than 8 parts");
        yield return Bad("a part of 13 words", "a b c d e f g h i j k l m ~2 knife", "*'a b c d e f g h i j k l m' has more than 12 words");
        yield return Bad("a part standing for too many phrases", "{a+|b+|c+|d+} {e+|f+|g+|h+} {k+|m+|n+|p+}",
            "*'{a+|b+|c+|d+} {e+|f+|g+|h+} {k+|m+|n+|p+}' stands for more than 4096 phrases*");
        yield return Bad("a bad word in the second part", "knife ~3 kill+*", "*'kill+*' in 'kill+*' is not a word with at most one '+' or '*' after it");

        static TestCaseData Bad(string what, string phrase, string message) => new TestCaseData($"vi-1 | 3 | {phrase}", "bad.txt:4: entry vi-1: " + message.TrimStart('*'))
            .SetArgDisplayNames(what);
    }

    private static IEnumerable<TestCaseData> BadContexts()
    {
        yield return Bad("no number", "unless: film", "bad.txt:4: entry vi-1: the context clause 'unless: film' is not 'unless N: word|word' or 'with N: word|word' with N from 1 to 50");
        yield return Bad("no colon", "unless 8 film", "bad.txt:4: entry vi-1: the context clause 'unless 8 film' is not *");
        yield return Bad("an unknown kind", "except 8: film", "bad.txt:4: entry vi-1: the context clause 'except 8: film' is not *");
        yield return Bad("a window of 0", "with 0: film", "bad.txt:4: entry vi-1: the context clause 'with 0: film' is not *");
        yield return Bad("a window of 51", "unless 51: film", "bad.txt:4: entry vi-1: the context clause 'unless 51: film' is not *");
        yield return Bad("a negative window", "unless -3: film", "bad.txt:4: entry vi-1: the context clause 'unless -3: film' is not *");
        yield return Bad("no phrases", "unless 8:", "bad.txt:4: entry vi-1: the context clause 'unless 8:' must list 1 to 64 phrases separated by '|', none empty");
        yield return Bad("an empty phrase", "unless 8: film||game", "bad.txt:4: entry vi-1: the context clause 'unless 8: film||game' must list *");
        yield return Bad("a phrase with a link", "unless 8: film ~2 night",
            "bad.txt:4: entry vi-1: the context clause 'unless 8: film ~2 night': 'film ~2 night' must be one phrase, without '~'");
        yield return Bad("a phrase with a bad mark", "with 8: fi+lm", "bad.txt:4: entry vi-1: the context clause 'with 8: fi+lm': 'fi+lm' in 'fi+lm' has '+' or '*' inside it");
        yield return Bad("nine clauses", string.Join("; ", Enumerable.Range(0, 9).Select(i => $"unless {i + 1}: film")),
            "bad.txt:4: entry vi-1: the context has more than 8 clauses");
        yield return Bad("65 phrases", "unless 8: " + string.Join('|', Enumerable.Range(0, 65).Select(i => $"w{(char)('a' + i % 26)}{i}")),
            "bad.txt:4: entry vi-1: the context clause * must list 1 to 64 phrases*");

        static TestCaseData Bad(string what, string context, string message) => new TestCaseData($"vi-1 | 3 | {{stab+|cut+}} ~3 him | | {context}", message)
            .SetArgDisplayNames(what);
    }

    [TestCaseSource(nameof(BadRules))]
    [TestCaseSource(nameof(BadContexts))]
    public void A_bad_rule_is_refused_naming_the_file_and_line(string line, string message)
    {
        var act = () => Read(Manifest, [new SourceFile("bad.txt", Headers + line + "\n")]);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [TestCase("bath ~2 bomb", "bad.txt:4: entry vi-1, exception: 'bath ~2 bomb' must be one phrase, without '~'")]
    [TestCase("{bath|photo bomb", "bad.txt:4: entry vi-1, exception: '{bath|photo' in '{bath|photo bomb' is not a set*")]
    public void An_exception_is_one_phrase(string exception, string message)
    {
        var act = () => Read(Manifest, [new SourceFile("bad.txt", Headers + $"vi-1 | 3 | bomb | {exception}\n")]);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [TestCase("{knife|blade} ~4 school")]
    [TestCase("a ~~20 b ~1 c")]
    [TestCase("{paedo*|nonce*}")]
    [TestCase("kill+ ~3 {him|her|them}")]
    public void Good_phrases_have_no_problem(string phrase) => PhraseSyntax.Problem(phrase).Should().BeNull();
}
