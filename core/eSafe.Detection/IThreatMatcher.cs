namespace eSafe.Detection;

/// <summary>Finds every threat phrase in a text, on whole words.</summary>
public interface IThreatMatcher
{
    /// <summary>The version of the library this matcher was built from.</summary>
    string LibraryVersion { get; }

    /// <summary>Every hit in <paramref name="text"/>, in order of where it starts.</summary>
    IReadOnlyList<ThreatMatch> Scan(string text);

    /// <summary>
    /// The matcher to scan with and name in an incident, as one: a matcher whose libraries can be swapped
    /// gives the one in use now, so that a version read and a scan made after it cannot disagree.
    /// </summary>
    IThreatMatcher Current => this;
}
