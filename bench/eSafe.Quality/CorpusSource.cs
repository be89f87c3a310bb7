namespace eSafe.Quality;

/// <summary>
/// One Debian package whose openly licensed English text goes into the benign corpus: the files under
/// <see cref="Folder"/> (inside the package) whose names end in one of <see cref="Extensions"/>.
/// </summary>
internal sealed record CorpusSource(string Package, string Licence, string Folder, params string[] Extensions)
{
    /// <summary>The packages, as bench/eSafe.Quality/README.md lists them with their licences.</summary>
    public static IReadOnlyList<CorpusSource> All { get; } =
    [
        new("debian-handbook", "GPL-2+ or CC-BY-SA-3.0", "usr/share/doc/debian-handbook/html/en-US", ".html"),
        new("debian-reference-en", "GPL-2+", "usr/share/debian-reference", ".en.html"),
        new("perl-doc", "GPL-1+ or Artistic", "usr/share/perl", ".pod"),
        new("gnu-standards", "GFDL-1.3+ (no invariant sections)", "usr/share/doc/gnu-standards", ".text.gz"),
    ];
}
