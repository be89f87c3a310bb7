namespace eSafe.Server.Tests.Support;

/// <summary>The server data folders a test made, deleted when it ends.</summary>
public sealed class DataFolders
{
    private readonly List<string> _made = [];

    public string New()
    {
        var folder = ServerHarness.NewDataDirectory();
        _made.Add(folder);
        return folder;
    }

    public void DeleteAll()
    {
        foreach (var folder in _made.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _made.Clear();
    }
}
