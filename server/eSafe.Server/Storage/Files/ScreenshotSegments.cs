using System.Text.RegularExpressions;
using eSafe.Server.Security;
using Microsoft.Win32.SafeHandles;

namespace eSafe.Server.Storage.Files;

/// <summary>
/// Screenshots in append-only segment files, one series per school and month: <c>&lt;school&gt;/&lt;yyyy-MM&gt;/000001.seg</c>
/// in the data folder's <c>screenshots/</c> (LiteDB) or a folder the server processes of one PostgreSQL database share
/// (folders mode 700, files 600), each record framed by <see cref="SegmentRecord"/>. A process appends to a segment it made
/// itself (a new one at its first write to a month after start, and at <see cref="DefaultMaxSegmentBytes"/>; made with
/// O_EXCL, so two processes never share one), so it never writes after a torn tail another run left; a write that fails
/// gives its segment up for the same reason. Each append fsyncs every segment it touched once, before it returns.
/// A segment goes once nothing references it (<see cref="RemoveUnreferenced"/>), and a month's folder and a school's with it.
/// </summary>
public sealed partial class ScreenshotSegments : IScreenshotFiles, IDisposable
{
    public const string FolderName = "screenshots";
    public const long DefaultMaxSegmentBytes = 64L * 1024 * 1024;
    private const string Extension = ".seg";
    private readonly string _root;
    private readonly long _maxSegmentBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Appending> _appending = new(StringComparer.Ordinal);

    /// <param name="folder">The folder the schools' folders of segments are kept in.</param>
    /// <param name="maxSegmentBytes">The size past which a month's next record starts a new segment.</param>
    public ScreenshotSegments(string folder, long maxSegmentBytes = DefaultMaxSegmentBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSegmentBytes);
        _root = Path.GetFullPath(folder);
        _maxSegmentBytes = maxSegmentBytes;
    }

    /// <summary>The segment a process is appending to: the file, and where its next record goes.</summary>
    private sealed class Appending(string segment, FileStream file)
    {
        public string Segment { get; } = segment;
        public FileStream File { get; } = file;
        public long Length { get; set; }
    }

    public string Root => _root;

    public IReadOnlyList<ScreenshotLocation> Append(IReadOnlyList<ScreenshotToFile> screenshots)
    {
        ArgumentNullException.ThrowIfNull(screenshots);
        var locations = new ScreenshotLocation[screenshots.Count];
        lock (_lock)
        {
            // Records for each segment go in one gathered write, and each segment touched is fsynced once; a segment that this
            // batch filled is closed only after its records are written.
            var writes = new Dictionary<Appending, (long Offset, List<ReadOnlyMemory<byte>> Records)>();
            var full = new List<Appending>();
            try
            {
                for (var n = 0; n < screenshots.Count; n++)
                {
                    var screenshot = screenshots[n];
                    var record = SegmentRecord.Make(screenshot.IncidentId, screenshot.Blob);
                    var segment = SegmentFor(MonthFolder(screenshot.SchoolId, RetentionPeriod.Of(screenshot.ReceivedAt)), record.Length, full);
                    if (!writes.TryGetValue(segment, out var write))
                    {
                        write = (segment.Length, []);
                        writes[segment] = write;
                    }

                    write.Records.Add(record);
                    locations[n] = new ScreenshotLocation(segment.Segment, segment.Length, screenshot.Blob.Length);
                    segment.Length += record.Length;
                }

                foreach (var (segment, (offset, records)) in writes)
                {
                    RandomAccess.Write(segment.File.SafeFileHandle, records, offset);
                    RandomAccess.FlushToDisk(segment.File.SafeFileHandle);
                }
            }
            catch
            {
                // What was written may end in half a record: no later record goes after it.
                foreach (var segment in writes.Keys)
                {
                    GiveUp(segment);
                }

                throw;
            }
            finally
            {
                full.ForEach(f => f.File.Dispose());
            }
        }

        return locations;
    }

    public byte[]? Read(ScreenshotLocation location, string incidentId)
    {
        ArgumentNullException.ThrowIfNull(location);
        var path = PathOf(location.Segment);
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (file)
        {
            Span<byte> header = stackalloc byte[SegmentRecord.HeaderSize];
            if (RandomAccess.Read(file, header, location.Offset) != header.Length || SegmentRecord.SizeOf(header) is not { } size
                || location.Offset + size > RandomAccess.GetLength(file))
            {
                throw new InvalidDataException($"The screenshot file {location.Segment} does not hold a record at {location.Offset}.");
            }

            var record = new byte[size];
            RandomAccess.Read(file, record, location.Offset);
            return SegmentRecord.Open(record, incidentId, location.Length);
        }
    }

    public void ZeroOut(IReadOnlyCollection<ScreenshotLocation> locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        lock (_lock)
        {
            foreach (var segment in locations.GroupBy(l => l.Segment, StringComparer.Ordinal))
            {
                var path = PathOf(segment.Key);
                if (!File.Exists(path))
                {
                    continue;
                }

                using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                foreach (var location in segment)
                {
                    SegmentRecord.Erase(file, location.Offset);
                }

                RandomAccess.FlushToDisk(file);
            }
        }
    }

    public int RemoveUnreferenced(IEnumerable<string> segments, Func<string, bool> isReferenced)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(isReferenced);
        var removed = 0;
        lock (_lock)
        {
            foreach (var month in segments.Select(s => Path.GetDirectoryName(PathOf(s))!).Distinct(StringComparer.Ordinal).Where(Directory.Exists))
            {
                foreach (var path in Directory.GetFiles(month, "*" + Extension))
                {
                    var segment = SegmentOf(path);
                    if (isReferenced(segment))
                    {
                        continue;
                    }

                    if (_appending.Values.FirstOrDefault(a => a.Segment == segment) is { } appending)
                    {
                        GiveUp(appending);
                    }

                    File.Delete(path);
                    removed++;
                }

                RemoveIfEmpty(month);
                RemoveIfEmpty(Path.GetDirectoryName(month)!);
            }
        }

        return removed;
    }

    /// <summary>
    /// The records of a segment file: live ones with the ID of their incident among <paramref name="incidentIds"/> (else
    /// "?"), erased ones with null; a torn tail ends the list. For checking a segment; the store reads records by location.
    /// </summary>
    public IReadOnlyList<(long Offset, string? IncidentId, int Length)> Scan(string segment, IEnumerable<string> incidentIds)
    {
        ArgumentNullException.ThrowIfNull(incidentIds);
        var byTag = incidentIds.Distinct(StringComparer.Ordinal).ToDictionary(id => Convert.ToHexString(SegmentRecord.Tag(id)), StringComparer.Ordinal);
        using var file = File.OpenHandle(PathOf(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return [.. SegmentRecord.Scan(file).Select(r => (r.Offset, r.Tag is null ? null : byTag.GetValueOrDefault(Convert.ToHexString(r.Tag), "?"), r.Length))];
    }

    /// <summary>Every segment file there is, as the paths records name them.</summary>
    public IReadOnlyList<string> List() => Directory.Exists(_root)
        ? [.. Directory.GetFiles(_root, "*" + Extension, SearchOption.AllDirectories).Select(SegmentOf).Order(StringComparer.Ordinal)]
        : [];

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var appending in _appending.Values.ToList())
            {
                GiveUp(appending);
            }
        }
    }

    private Appending SegmentFor(string month, int recordBytes, List<Appending> full)
    {
        if (_appending.TryGetValue(month, out var current) && (current.Length == 0 || current.Length + recordBytes <= _maxSegmentBytes))
        {
            return current;
        }

        if (current is not null)
        {
            _appending.Remove(month);
            full.Add(current);
        }

        var folder = Path.Combine(_root, month);
        MakeFolders(folder);
        var (name, file) = NewSegment(folder);
        try
        {
            DirectoryFlush.Flush(folder);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        var appending = new Appending(month + "/" + name, file);
        _appending[month] = appending;
        return appending;
    }

    // The number after the highest in the folder; another process sharing the folder may make that one first (CreateNew is
    // O_EXCL), and then the next is tried.
    private static (string Name, FileStream File) NewSegment(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            var number = Directory.GetFiles(folder, "*" + Extension)
                .Select(p => int.TryParse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)
                .DefaultIfEmpty(0).Max() + 1;
            var name = number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + Extension;
            try
            {
                return (name, new FileStream(Path.Combine(folder, name),
                    SecureFiles.NewPrivateFile(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete)));
            }
            catch (IOException) when (attempt < 20 && File.Exists(Path.Combine(folder, name)))
            {
                // Taken meanwhile: count again.
            }
        }
    }

    private void GiveUp(Appending appending)
    {
        var month = appending.Segment[..appending.Segment.LastIndexOf('/')];
        if (_appending.TryGetValue(month, out var current) && current == appending)
        {
            _appending.Remove(month);
        }

        appending.File.Dispose();
    }

    // Each folder made is fsynced into its parent, so that the segment's path survives a power cut as well as its bytes.
    private static void MakeFolders(string folder)
    {
        var missing = new Stack<string>();
        for (var f = folder; !Directory.Exists(f); f = Path.GetDirectoryName(f)!)
        {
            missing.Push(f);
        }

        while (missing.TryPop(out var f))
        {
            SecureFiles.CreatePrivateDirectory(f);
            DirectoryFlush.Flush(Path.GetDirectoryName(f)!);
        }
    }

    private void RemoveIfEmpty(string folder)
    {
        if (folder != _root && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    private static string MonthFolder(string schoolId, string period) => SafeName().IsMatch(schoolId) && SafeName().IsMatch(period)
        ? schoolId + "/" + period
        : throw new ArgumentException($"\"{schoolId}\" cannot name a folder of screenshots.", nameof(schoolId));

    // A segment file's name as records give it: SCHOOL/yyyy-MM/NNNNNN.seg, whatever the platform's separator.
    private string SegmentOf(string path) => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');

    // Segment paths come from the database: each part must be a plain name, so no record can point outside the folder.
    private string PathOf(string segment)
    {
        var parts = segment.Split('/');
        if (parts.Length != 3 || !parts.All(p => SafeName().IsMatch(p)) || !parts[2].EndsWith(Extension, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"\"{segment}\" is not a screenshot segment.");
        }

        return Path.Combine(_root, parts[0], parts[1], parts[2]);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex SafeName();
}
