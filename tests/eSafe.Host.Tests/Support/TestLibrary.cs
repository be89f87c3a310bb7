using eSafe.Detection;

namespace eSafe.Host.Tests.Support;

/// <summary>A small library of the host tests' own, so they do not depend on the default library's words.</summary>
public static class TestLibrary
{
    public const string Version = "1";

    public static ThreatMatcher Matcher { get; } = new(CompiledLibrary.Compile(Create()));

    public static ThreatLibrary Create() => new("test", Version,
    [
        new("st-sui-001", "kill myself", ThreatCategories.Suicide, 5),
        new("st-sui-002", "want to die", ThreatCategories.Suicide, 5),
        new("st-sui-003", "end my life", ThreatCategories.Suicide, 5),
        new("st-sui-004", "kms", ThreatCategories.Suicide, 4),
        new("st-sh-001", "cut myself", ThreatCategories.SelfHarm, 5),
        new("st-sh-002", "hurt myself", ThreatCategories.SelfHarm, 4),
        new("st-sh-003", "burn myself", ThreatCategories.SelfHarm, 4),
        new("st-bul-001", "nobody likes you", ThreatCategories.Bullying, 3),
        new("st-bul-002", "go kill yourself", ThreatCategories.Bullying, 5),
        new("st-bul-003", "everyone hates you", ThreatCategories.Bullying, 3),
        new("st-gro-001", "dont tell your parents", ThreatCategories.Grooming, 5),
        new("st-gro-002", "don't tell your parents", ThreatCategories.Grooming, 5),
        new("st-gro-003", "send me a pic", ThreatCategories.Grooming, 4),
        new("st-gro-004", "our little secret", ThreatCategories.Grooming, 4),
        new("st-vio-001", "bring a knife to school", ThreatCategories.Violence, 5),
        new("st-vio-002", "shoot up the school", ThreatCategories.Violence, 5),
        new("st-vio-003", "stab him", ThreatCategories.Violence, 4),
        new("st-drg-001", "buy weed", ThreatCategories.Drugs, 3),
        new("st-drg-002", "where to get pills", ThreatCategories.Drugs, 3),
        new("st-ext-001", "join the jihad", ThreatCategories.Extremism, 5),
        new("st-ext-002", "race war now", ThreatCategories.Extremism, 5),
        new("st-dis-001", "gas the", ThreatCategories.Discrimination, 4),
        new("st-gam-001", "online casino", ThreatCategories.Gambling, 2),
        new("st-gam-002", "bet365", ThreatCategories.Gambling, 2),
        new("st-por-001", "free porn", ThreatCategories.Pornography, 3),
        new("st-ill-001", "child porn", ThreatCategories.IllegalContent, 5),
    ]);
}
