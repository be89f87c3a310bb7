using System.CommandLine;
using System.Text;
using eSafe.Host.Configuration;
using eSafe.Host.Roster;

namespace eSafe.Host.Cli;

/// <summary>
/// The school's own commands, run by its admin on a machine of the school's: <c>school-key new</c> makes
/// the key behind pupils' user IDs, <c>roster</c> turns the school's roster into user IDs with it.
/// </summary>
public static class SchoolKeyCommands
{
    public static Command SchoolKey()
    {
        var output = new Option<string>("--output", "-o") { Description = "Where to write the key file (never overwritten)", Required = true };
        var create = new Command("new", "Make a new school user-ID key (32 random bytes) in a file readable by you only") { output };
        create.SetAction(result =>
        {
            var path = result.GetValue(output)!;
            try
            {
                SchoolKeyFile.Create(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                Console.Error.WriteLine($"esafe-host school-key new: {path} exists; a new key would orphan every user ID made with the old one. Choose another name.");
                return 2;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"esafe-host school-key new: {e.Message}");
                return 2;
            }

            Console.WriteLine($"School user-ID key written to {path}. Keep a copy safe: without it no user ID can be matched to a pupil.");
            Console.WriteLine($"Devices: esafe-host install ... --user-id-key-file {path}   (or the Chrome policy userIdKey: the line of base64 in it)");
            return 0;
        });
        return new Command("school-key", "The school's key for pupils' user IDs (the eSafe server never has it)") { create };
    }

    public static Command Roster()
    {
        var keyFile = new Option<string>("--key-file") { Description = "The school's key file (esafe-host school-key new)", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "The roster: CSV with a header row and an email column", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the roster with a userId column (never overwritten)", Required = true };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Write the good rows even when some are bad (the bad ones are listed)" };
        var command = new Command("roster", "Add each pupil's user ID to the school's roster, as devices compute it") { keyFile, input, output, skipBad };
        command.SetAction(result =>
        {
            try
            {
                var key = SchoolKeyFile.Read(result.GetValue(keyFile)!);
                var outcome = RosterIds.Add(File.ReadAllText(result.GetValue(input)!), key, result.GetValue(skipBad));
                foreach (var problem in outcome.Problems)
                {
                    Console.Error.WriteLine($"esafe-host roster: {problem}");
                }

                if (outcome.Output is null)
                {
                    Console.Error.WriteLine("esafe-host roster: nothing written" + (outcome.Rows > 0 ? " (--skip-bad writes the good rows)" : ""));
                    return 2;
                }

                WritePrivate(result.GetValue(output)!, outcome.Output);
                Console.WriteLine($"{outcome.Rows} pupils written to {result.GetValue(output)}" + (outcome.Problems.Count > 0 ? $"; {outcome.Problems.Count} bad rows left out" : ""));
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"esafe-host roster: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    // Emails beside IDs: as private as the key.
    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
