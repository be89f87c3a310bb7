namespace eSafe.Server.Storage;

/// <summary>
/// Screenshots' ciphertext kept beside the database rather than in it (a 100 KB image is 13 LiteDB pages, written whole
/// to LiteDB's log at every commit and again into its file at every checkpoint). The store records where each one is; what
/// is written here is already encrypted (<see cref="PeriodKeys"/>) and is opened only through the incident store.
/// </summary>
public interface IScreenshotFiles
{
    /// <summary>Writes the screenshots and returns where each went, in order; on return every one is on disk (fsynced).</summary>
    IReadOnlyList<ScreenshotLocation> Append(IReadOnlyList<ScreenshotToFile> screenshots);

    /// <summary>
    /// The ciphertext at <paramref name="location"/>, checked to be <paramref name="incidentId"/>'s whole record; null when the
    /// record was erased or its file is gone. <see cref="InvalidDataException"/> when the bytes there are not an intact record.
    /// </summary>
    byte[]? Read(ScreenshotLocation location, string incidentId);

    /// <summary>Overwrites the records with zeros; on return that is on disk.</summary>
    void ZeroOut(IReadOnlyCollection<ScreenshotLocation> locations);

    /// <summary>
    /// Removes the files in the folders of <paramref name="segments"/> (a school's month) that nothing references any more
    /// (<paramref name="isReferenced"/>, given a segment), and the folders left empty; returns how many files went.
    /// </summary>
    int RemoveUnreferenced(IEnumerable<string> segments, Func<string, bool> isReferenced);
}

/// <summary>A screenshot to write: its incident, the school and receipt time that choose its file, and its ciphertext.</summary>
public sealed record ScreenshotToFile(string IncidentId, string SchoolId, DateTimeOffset ReceivedAt, byte[] Blob);

/// <summary>Where a screenshot is: its segment (a path relative to the screenshots folder), the record's offset, and the ciphertext's length.</summary>
public sealed record ScreenshotLocation(string Segment, long Offset, int Length);
