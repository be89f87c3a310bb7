using System.Runtime.InteropServices;
using System.Text;

namespace eSafe.Server.Storage.Files;

/// <summary>
/// Makes a new file's name in its folder durable: on Linux and macOS a file's fsync covers its bytes, not the folder entry
/// that names it, so a folder is fsynced after a file is made in it. .NET opens no handle on a folder, hence libc. Windows
/// (NTFS journals its metadata) needs nothing.
/// </summary>
internal static class DirectoryFlush
{
    private const int ReadOnlyDirectory = 0; // O_RDONLY; a folder opened read-only can be fsynced

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Open(path, ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"The folder {directory} cannot be opened to flush it (error {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"The folder {directory} cannot be flushed to disk (error {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code, which this project does not allow; the
    // arguments are a byte array and ints, which need no marshalling of their own.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
