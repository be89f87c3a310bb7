using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>A school's own words layered on the global library, and global entries the school switches off.</summary>
public sealed class LayeringTests
{
    private static readonly CompiledLibrary Global = TestLibraries.Compile("default", "2026.11.28",
        new ThreatEntry("sui-1", "kill+ myself", ThreatCategories.Suicide, 5),
        new ThreatEntry("vio-1", "kill", ThreatCategories.Violence, 2, Exceptions: ["kill the process"]),
        new ThreatEntry("vio-2", "bomb", ThreatCategories.Violence, 3),
        new ThreatEntry("bul-1", "loser", ThreatCategories.Bullying, 2));

    private static readonly CompiledLibrary School = TestLibraries.Compile("st-marys", "7",
        new ThreatEntry("sch-1", "mr grimsby", ThreatCategories.Bullying, 3),
        new ThreatEntry("sch-2", "the bike sheds", ThreatCategories.Drugs, 2),
        new ThreatEntry("sch-3", "bomb", ThreatCategories.Extremism, 4),
        new ThreatEntry("vio-1", "kill the process", ThreatCategories.Violence, 1));

    [Test]
    public void Hits_of_both_libraries_are_reported_each_naming_its_own_entry()
    {
        const string Text = "mr grimsby is a loser, meet at the bike sheds";
        var matcher = new ThreatMatcher(Global, School);

        var matches = matcher.Scan(Text);

        matches.Select(m => (m.Entry.Id, m.MatchedText(Text))).Should().Equal(("sch-1", "mr grimsby"), ("bul-1", "loser"), ("sch-2", "the bike sheds"));
        matches[0].Entry.Should().BeSameAs(School.Entries.Single(e => e.Id == "sch-1"));
        matches[1].Entry.Should().BeSameAs(Global.Entries.Single(e => e.Id == "bul-1"));
    }

    [Test]
    public void The_same_phrase_in_both_libraries_hits_twice_with_each_library_s_category_and_severity()
    {
        var matches = new ThreatMatcher(Global, School).Scan("a bomb");

        matches.Select(m => (m.Entry.Id, m.Entry.Category, m.Entry.Severity, m.Start, m.Length)).Should().BeEquivalentTo(
        [
            ("vio-2", ThreatCategories.Violence, 3, 2, 4),
            ("sch-3", ThreatCategories.Extremism, 4, 2, 4),
        ]);
    }

    [Test]
    public void An_exception_cancels_only_its_own_library_s_entry()
    {
        // The global vio-1 excepts "kill the process"; the school's own vio-1 is that very phrase.
        var matches = new ThreatMatcher(Global, School).Scan("kill the process");

        matches.Should().ContainSingle().Which.Entry.Should().BeSameAs(School.Entries.Single(e => e.Id == "vio-1"));
    }

    [Test]
    public void Disabled_ids_switch_global_entries_off()
    {
        const string Text = "you loser, I will kill myself with a bomb";
        var matcher = new ThreatMatcher([Global, School], disabledIds: ["bul-1", "vio-2"]);

        matcher.Scan(Text).Select(m => m.Entry.Id).Should().BeEquivalentTo("vio-1", "sui-1", "sch-3");
        new ThreatMatcher(Global, School).Scan(Text).Select(m => m.Entry.Id).Should().BeEquivalentTo("bul-1", "vio-1", "sui-1", "vio-2", "sch-3");
    }

    [Test]
    public void An_unknown_disabled_id_changes_nothing()
    {
        var matcher = new ThreatMatcher([Global], disabledIds: ["no-such-entry"]);

        matcher.Scan("you loser").Select(m => m.Entry.Id).Should().Equal("bul-1");
    }

    [Test]
    public void Disabling_every_entry_leaves_nothing_to_hit()
    {
        var matcher = new ThreatMatcher([Global], disabledIds: Global.Entries.Select(e => e.Id));

        matcher.Scan("you loser, I will kill myself with a bomb").Should().BeEmpty();
    }

    [Test]
    public void The_library_version_names_the_layers_in_order()
    {
        new ThreatMatcher(Global, School).LibraryVersion.Should().Be("default-2026.11.28+st-marys-7");
        new ThreatMatcher(Global).LibraryVersion.Should().Be("default-2026.11.28");
    }

    [Test]
    public void A_matcher_needs_a_library()
    {
        var act = () => new ThreatMatcher([]);

        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void Hits_are_ordered_by_start_and_the_longer_first()
    {
        const string Text = "bomb then kill myself";

        var matches = new ThreatMatcher(Global, School).Scan(Text);

        matches.Select(m => m.MatchedText(Text)).Should().Equal("bomb", "bomb", "kill myself", "kill");
    }
}
