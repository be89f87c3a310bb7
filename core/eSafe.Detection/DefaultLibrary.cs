namespace eSafe.Detection;

/// <summary>
/// The global library that ships with eSafe, compiled (Libraries/default.eslib, built from the sources in
/// Libraries/default by <c>./build.sh --target=Compile-Library</c>; a test checks it is up to date).
/// </summary>
public static class DefaultLibrary
{
    public const string ResourceName = "eSafe.Detection.default.eslib";

    public static CompiledLibrary Load()
    {
        using var stream = typeof(DefaultLibrary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the default library ({ResourceName}) is not embedded");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return LibraryFormat.Read(bytes);
    }
}
