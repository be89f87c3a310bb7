using System.CommandLine;
using System.Security.Cryptography;
using eSafe.Server.Extension;
using eSafe.Server.Security;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server extension pack --source DIR --key KEY.pem --output esafe.crx [--create-key]</c> and
/// <c>extension id --key KEY.pem | --crx FILE</c>: the packed extension this server hosts for force-install.
/// </summary>
internal static class ExtensionCommands
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "The unpacked extension (the folder with manifest.json).", Required = true };
        var key = new Option<string>("--key")
        {
            Description = "The publisher's RSA private key (PEM, as Chrome's own \"Pack extension\" writes it); the extension's ID follows from it.",
            Required = true,
        };
        var output = new Option<string>("--output") { Description = "The CRX file to write.", Required = true };
        var createKey = new Option<bool>("--create-key")
        {
            Description = "Make a new key (mode 600) when --key does not exist yet: a new key is a new extension ID.",
        };
        var pack = new Command("pack", "Pack an unpacked extension into a CRX3 signed with the publisher's key.") { source, key, output, createKey };
        pack.SetAction(parse =>
        {
            var keyFile = parse.GetValue(key)!;
            try
            {
                using var rsa = LoadOrCreate(keyFile, parse.GetValue(createKey), parse.InvocationConfiguration.Output);
                var target = parse.GetValue(output)!;
                var temporary = target + ".tmp";
                string id;
                using (var stream = File.Create(temporary))
                {
                    id = CrxWriter.Pack(parse.GetValue(source)!, rsa, stream);
                }

                // Checked as Chrome will check it before it replaces the one a server may be offering.
                var package = CrxPackage.Read(File.ReadAllBytes(temporary));
                File.Move(temporary, target, overwrite: true);
                parse.InvocationConfiguration.Output.WriteLine($"Packed {target}: extension {id} version {package.Version}");
                return package.Id == id ? 0 : 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine("esafe-server: " + e.Message);
                return 1;
            }
        });

        var idKey = new Option<string?>("--key") { Description = "A publisher's private key (PEM)." };
        var idCrx = new Option<string?>("--crx") { Description = "A packed extension (CRX3)." };
        var id = new Command("id", "Print the extension ID that a publisher key or a CRX gives.") { idKey, idCrx };
        id.Validators.Add(result =>
        {
            if ((result.GetValue(idKey) is null) == (result.GetValue(idCrx) is null))
            {
                result.AddError("give either --key or --crx");
            }
        });
        id.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(idKey) is { } pem)
                {
                    using var rsa = RSA.Create();
                    rsa.ImportFromPem(File.ReadAllText(pem));
                    parse.InvocationConfiguration.Output.WriteLine(ExtensionId.FromPublicKey(rsa.ExportSubjectPublicKeyInfo()));
                }
                else
                {
                    var package = CrxPackage.Read(File.ReadAllBytes(parse.GetValue(idCrx)!));
                    parse.InvocationConfiguration.Output.WriteLine($"{package.Id} {package.Version}");
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine("esafe-server: " + e.Message);
                return 1;
            }
        });

        return new Command("extension", "The packed extension this server offers for force-install.") { pack, id };
    }

    private static RSA LoadOrCreate(string keyFile, bool create, TextWriter output)
    {
        var rsa = RSA.Create(2048);
        if (File.Exists(keyFile))
        {
            rsa.ImportFromPem(File.ReadAllText(keyFile));
            return rsa;
        }

        if (!create)
        {
            rsa.Dispose();
            throw new IOException($"{keyFile} does not exist (add --create-key to make a new publisher key, and with it a new extension ID)");
        }

        SecureFiles.CreatePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        SecureFiles.Write(keyFile, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()), overwrite: false);
        output.WriteLine($"Made a new publisher key {keyFile} (keep it: every later version must be signed with it to keep the ID)");
        return rsa;
    }
}
