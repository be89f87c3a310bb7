using eSafe.Host.Configuration;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Configuration;

/// <summary>The host's state files: whole or not at all, even when host processes save the same file at once.</summary>
public sealed class StateFilesTests
{
    [Test]
    public void Processes_saving_one_file_at_once_leave_one_whole_version_and_no_temporary_files()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Sub("state.bin");
        var versions = Enumerable.Range(1, 16).Select(v => Enumerable.Repeat((byte)v, 64 * 1024).ToArray()).ToArray();

        Parallel.ForEach(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, bytes =>
        {
            for (var i = 0; i < 5; i++)
            {
                StateFiles.WriteAtomically(path, bytes);
            }
        });

        var saved = File.ReadAllBytes(path);
        versions.Count(v => v.SequenceEqual(saved)).Should().Be(1, "one writer's whole bytes win");
        Directory.GetFiles(folder.Path, "*.tmp").Should().BeEmpty();
    }
}
