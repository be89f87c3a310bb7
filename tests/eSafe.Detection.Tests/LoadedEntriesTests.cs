using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>A loaded library makes its entries from the file only when asked, and they are the entries it was compiled from.</summary>
public sealed class LoadedEntriesTests
{
    private static readonly ThreatEntry[] Entries =
    [
        new("a-1", "kill+ myself", ThreatCategories.Suicide, 5),
        new("a-2", "bomb", ThreatCategories.Violence, 3, "en-GB", ["bath bomb", "bomb squad"]),
        new("b-1", "paedo*", ThreatCategories.Grooming, 4, "en-GB"),
        new("c-1", "خودکشی", ThreatCategories.Suicide, 5, "ur"),
        new("d-1", "zabiję się", ThreatCategories.Suicide, 5, "pl", ["nie zabiję się"]),
        new("e-1", "weed", ThreatCategories.Drugs, 1, "en-GB"),
    ];

    private static readonly CompiledLibrary Compiled = TestLibraries.Compile("lazy", "1", Entries);

    private static CompiledLibrary Loaded() => LibraryFormat.Read(LibraryFormat.Write(Compiled));

    [Test]
    public void Each_entry_read_by_index_equals_the_compiled_one()
    {
        var loaded = Loaded();

        loaded.Entries.Should().HaveCount(Entries.Length);
        for (var i = Entries.Length - 1; i >= 0; i--)
        {
            loaded.Entries[i].Should().BeEquivalentTo(Compiled.Entries[i], "entry {0}", i);
        }
    }

    [Test]
    public void Listing_the_entries_gives_the_compiled_ones_in_order()
    {
        Loaded().Entries.Should().BeEquivalentTo(Compiled.Entries, o => o.WithStrictOrdering());
    }

    [Test]
    public void An_entry_is_made_once_and_then_kept()
    {
        var loaded = Loaded();

        var first = loaded.Entries[1];

        loaded.Entries[1].Should().BeSameAs(first);
        loaded.Entries.ElementAt(1).Should().BeSameAs(first);
    }

    [Test]
    public void A_hit_names_the_entry_the_list_holds()
    {
        var loaded = Loaded();

        var match = new ThreatMatcher(loaded).Scan("a bomb").Should().ContainSingle().Subject;

        match.Entry.Should().BeSameAs(loaded.Entries.Single(e => e.Id == "a-2"));
    }

    [TestCase(-1)]
    [TestCase(6)]
    [TestCase(int.MaxValue)]
    public void An_index_outside_the_list_is_refused(int index)
    {
        var loaded = Loaded();

        var act = () => loaded.Entries[index];

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [TestCase("a-2", "a bomb", 0)]
    [TestCase("e-1", "weed", 0)]
    [TestCase("a-1", "a bomb", 1)]
    [TestCase("nope", "weed", 1)]
    public void Disabled_ids_work_on_a_loaded_library_as_on_a_compiled_one(string disabled, string text, int hits)
    {
        var onLoaded = new ThreatMatcher([Loaded()], [disabled]).Scan(text);
        var onCompiled = new ThreatMatcher([Compiled], [disabled]).Scan(text);

        onLoaded.Should().HaveCount(hits);
        onLoaded.Select(TestLibraries.Key).Should().Equal(onCompiled.Select(TestLibraries.Key));
    }

    [Test]
    public void Languages_are_shared_between_entries()
    {
        var loaded = Loaded();

        loaded.Entries[1].Language.Should().BeSameAs(loaded.Entries[5].Language);
    }
}
