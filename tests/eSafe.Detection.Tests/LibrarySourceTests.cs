using static eSafe.Detection.Sources.LibrarySource;

namespace eSafe.Detection.Tests;

/// <summary>Reading a library's source files (docs/THREAT-LIBRARY.md): what parses, and every problem named by file and line.</summary>
public sealed class LibrarySourceTests
{
    private static readonly SourceFile Manifest = new(ManifestName, """
        # The test library.
        name: school-42
        version: 2026.11.28

        """);

    private static readonly SourceFile SelfHarm = new("en-GB/self-harm.txt", """
        # Lines starting with '#' are comments; blank lines are ignored.
        category: self-harm
        language: en-GB

        # ID        | severity | phrase                 | exceptions (optional)
        sh-0001     | 5        | cut+ myself            |
        sh-0002     | 4        | self harm+
        vw-0003     | 3        | bomb                   | bath bomb; photo bomb ;bomb the test
        """);

    private static readonly SourceFile Urdu = new("ur/suicide.txt", "Category: suicide\r\nLanguage: ur\r\n\r\nur-0001 | 5 | خودکشی\r\n");

    [Test]
    public void Good_files_parse_into_entries_in_order_of_id()
    {
        var library = Read(Manifest, [SelfHarm, Urdu]);

        library.Name.Should().Be("school-42");
        library.Version.Should().Be("2026.11.28");
        library.Entries.Should().BeEquivalentTo(
            [
                new ThreatEntry("sh-0001", "cut+ myself", ThreatCategories.SelfHarm, 5, "en-GB", []),
                new ThreatEntry("sh-0002", "self harm+", ThreatCategories.SelfHarm, 4, "en-GB", []),
                new ThreatEntry("ur-0001", "خودکشی", ThreatCategories.Suicide, 5, "ur", []),
                new ThreatEntry("vw-0003", "bomb", ThreatCategories.SelfHarm, 3, "en-GB", ["bath bomb", "photo bomb", "bomb the test"]),
            ],
            options => options.WithStrictOrdering());
    }

    [Test]
    public void A_file_with_headers_and_no_entries_adds_nothing()
    {
        var library = Read(Manifest, [new SourceFile("empty.txt", "category: drugs\nlanguage: pl\n# nothing yet\n")]);

        library.Entries.Should().BeEmpty();
    }

    [Test]
    public void The_order_of_the_files_does_not_matter()
    {
        Read(Manifest, [Urdu, SelfHarm]).Entries.Should().BeEquivalentTo(Read(Manifest, [SelfHarm, Urdu]).Entries, o => o.WithStrictOrdering());
    }

    [Test]
    public void A_folder_is_read_with_its_subfolders()
    {
        var folder = Directory.CreateTempSubdirectory("esafe-library-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, ManifestName), Manifest.Text);
            Directory.CreateDirectory(Path.Combine(folder.FullName, "en-GB"));
            Directory.CreateDirectory(Path.Combine(folder.FullName, "ur"));
            File.WriteAllText(Path.Combine(folder.FullName, "en-GB", "self-harm.txt"), SelfHarm.Text);
            File.WriteAllText(Path.Combine(folder.FullName, "ur", "suicide.txt"), Urdu.Text);
            File.WriteAllText(Path.Combine(folder.FullName, "README.md"), "not a source file");

            ReadFolder(folder.FullName).Entries.Should().BeEquivalentTo(Read(Manifest, [SelfHarm, Urdu]).Entries, o => o.WithStrictOrdering());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void A_folder_without_a_manifest_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("esafe-library-");
        try
        {
            var act = () => ReadFolder(folder.FullName);

            act.Should().Throw<FormatException>().WithMessage($"*{ManifestName}*");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<TestCaseData> BadManifests()
    {
        yield return Bad("name missing", "version: 1\n", "library.txt: the header 'name:' is missing");
        yield return Bad("version missing", "name: x\n", "library.txt: the header 'version:' is missing");
        yield return Bad("version empty", "name: x\nversion:\n", "library.txt: the header 'version:' is missing");
        yield return Bad("name not a token", "name: my library\nversion: 1\n", "*library name 'my library'*");

        static TestCaseData Bad(string what, string text, string message) => new TestCaseData(text, message).SetArgDisplayNames(what);
    }

    [TestCaseSource(nameof(BadManifests))]
    public void A_bad_manifest_is_refused(string text, string message)
    {
        var act = () => Read(new SourceFile(ManifestName, text), [SelfHarm]);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    private static IEnumerable<TestCaseData> BadEntryFiles()
    {
        const string Headers = "category: violence\nlanguage: en-GB\n\n";
        yield return Bad("category missing", "language: en-GB\nv-1 | 3 | stab\n", "bad.txt: the header 'category:' is missing");
        yield return Bad("language missing", "category: violence\nv-1 | 3 | stab\n", "bad.txt: the header 'language:' is missing");
        yield return Bad("unknown category", "category: swearing\nlanguage: en-GB\nv-1 | 3 | stab\n", "bad.txt: category 'swearing' is not one of *");
        yield return Bad("bad language tag", "category: violence\nlanguage: en GB\nv-1 | 3 | stab\n", "bad.txt:3: entry v-1 has no valid language tag");
        yield return Bad("severity not a number", Headers + "v-1 | high | stab\n", "bad.txt:4: severity 'high' is not a number from 1 to 5");
        yield return Bad("severity negative", Headers + "v-1 | -1 | stab\n", "bad.txt:4: severity '-1' is not a number from 1 to 5");
        yield return Bad("severity 0", Headers + "v-1 | 0 | stab\n", "bad.txt:4: entry v-1 has severity 0; it must be 1 to 5");
        yield return Bad("severity 6", Headers + "v-1 | 6 | stab\n", "bad.txt:4: entry v-1 has severity 6; it must be 1 to 5");
        yield return Bad("two fields", Headers + "v-1 | stab\n", "bad.txt:4: expected 'ID | severity | phrase | exceptions | context', found 2 fields");
        yield return Bad("a fifth field that is no context", Headers + "v-1 | 3 | stab | knife | gun\n",
            "bad.txt:4: entry v-1: the context clause 'gun' is not 'unless N: word|word' or 'with N: word|word' *");
        yield return Bad("a header after the entries", Headers + "v-1 | 3 | stab\ncategory: drugs\n", "bad.txt:5: expected *, found 1 fields");
        yield return Bad("bad ID", Headers + "v/1 | 3 | stab\n", "bad.txt:4: entry ID 'v/1' must be *");
        yield return Bad("empty ID", Headers + " | 3 | stab\n", "bad.txt:4: entry ID '' must be *");
        yield return Bad("empty phrase", Headers + "v-1 | 3 |  |\n", "bad.txt:4: entry v-1: the phrase is empty");
        yield return Bad("double space", Headers + "v-1 | 3 | stab  him\n", "bad.txt:4: entry v-1: 'stab  him' must have single spaces between words and none around them");
        yield return Bad("'*' not on the last word", Headers + "v-1 | 3 | paedo* pics\n", "bad.txt:4: entry v-1: '*' can only end the last word ('paedo* pics')");
        yield return Bad("'+' inside a word", Headers + "v-1 | 3 | ki+ll\n", "bad.txt:4: entry v-1: 'ki+ll' in 'ki+ll' has '+' or '*' inside it");
        yield return Bad("two marks", Headers + "v-1 | 3 | kill+*\n", "bad.txt:4: entry v-1: 'kill+*' in 'kill+*' is not a word with at most one '+' or '*' after it");
        yield return Bad("a mark alone", Headers + "v-1 | 3 | kill +\n", "bad.txt:4: entry v-1: '+' in 'kill +' is not a word *");
        yield return Bad("an emoji for a phrase", Headers + "v-1 | 3 | 🔪\n", "bad.txt:4: entry v-1: '🔪' in '🔪' has no letter to match");
        yield return Bad("a word of punctuation", Headers + "v-1 | 3 | stab ...\n", "bad.txt:4: entry v-1: '...' in 'stab ...' has no letter to match");
        yield return Bad("too many words", Headers + "v-1 | 3 | a b c d e f g h i j k l m\n", "bad.txt:4: entry v-1: * has more than 12 words");
        yield return Bad("too long", Headers + $"v-1 | 3 | {new string('a', 1001)}\n", "bad.txt:4: entry v-1: the phrase is longer than 1000 characters");
        yield return Bad("bad exception", Headers + "v-1 | 3 | bomb | bath  bomb\n", "bad.txt:4: entry v-1, exception: 'bath  bomb' must have single spaces *");
        yield return Bad("too many exceptions", Headers + $"v-1 | 3 | bomb | {string.Join("; ", Enumerable.Range(0, 33).Select(i => $"bomb {(char)('a' + i % 26)}{i}"))}\n",
            "bad.txt:4: entry v-1 has more than 32 exceptions");
        yield return Bad("duplicate phrase", Headers + "v-1 | 3 | stab\n# again\nv-2 | 4 | stab\n", "bad.txt:6: phrase 'stab' is already at line 4");
        yield return Bad("duplicate ID in the file", Headers + "v-1 | 3 | stab\nv-1 | 4 | knife\n", "bad.txt:5: entry ID 'v-1' is already used at bad.txt:4");

        static TestCaseData Bad(string what, string text, string message) => new TestCaseData(text, message).SetArgDisplayNames(what);
    }

    [TestCaseSource(nameof(BadEntryFiles))]
    public void A_bad_entry_file_is_refused_naming_the_file_and_line(string text, string message)
    {
        var act = () => Read(Manifest, [SelfHarm, new SourceFile("bad.txt", text)]);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Test]
    public void An_ID_used_in_two_files_is_refused_naming_both()
    {
        var other = new SourceFile("pl/self-harm.txt", "category: self-harm\nlanguage: pl\n\nsh-0002 | 4 | pociąć się\n");

        var act = () => Read(Manifest, [SelfHarm, other]);

        act.Should().Throw<FormatException>()
            .WithMessage("pl/self-harm.txt:4: entry ID 'sh-0002' is already used at en-GB/self-harm.txt:7");
    }

    [Test]
    public void A_problem_on_the_last_line_of_the_last_file_still_refuses_the_whole_library()
    {
        var last = new SourceFile("zz/violence.txt", "category: violence\nlanguage: en-GB\nv-1 | 3 | stab\nv-2 | 3 | knife\nv-3 | 9 | gun\n");
        ThreatLibrary? library = null;

        var act = () => library = Read(Manifest, [SelfHarm, Urdu, last]);

        act.Should().Throw<FormatException>().WithMessage("zz/violence.txt:5: *");
        library.Should().BeNull();
    }

    [Test]
    public void The_same_phrase_may_be_in_two_files()
    {
        var other = new SourceFile("pl/self-harm.txt", "category: self-harm\nlanguage: pl\n\npl-1 | 4 | cut+ myself\n");

        Read(Manifest, [SelfHarm, other]).Entries.Should().HaveCount(4);
    }
}
