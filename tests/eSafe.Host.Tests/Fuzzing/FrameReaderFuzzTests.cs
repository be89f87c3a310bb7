using System.Text.RegularExpressions;
using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Fuzzing;

/// <summary>Spoilt frame streams: every one ends in frames, a clean end, or a <see cref="FramingException"/>; never anything else, never a hang.</summary>
public sealed partial class FrameReaderFuzzTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static IEnumerable<string> Saved() => FuzzSettings.Corpus("frames");

    [TestCaseSource(nameof(Saved))]
    public async Task A_saved_input_is_read_to_an_end_or_an_error(string file) =>
        await ReadAllAsync(await File.ReadAllBytesAsync(file));

    [Test]
    public async Task Seeded_mutations_of_valid_frames_are_read_to_an_end_or_an_error()
    {
        var mutator = new Mutator(FuzzSettings.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (valid, headers) = ValidStream();
        for (var i = 0; i < FuzzSettings.Iterations(400); i++)
        {
            var input = mutator.Next(2) == 0 ? mutator.Length(valid, headers) : mutator.Bytes(valid);
            var outcome = await ReadAllAsync(input);
            FuzzSettings.Keep("frames", outcome, input, seen, "bin");
        }
    }

    /// <summary>Reads to the end; the outcome, for telling inputs apart.</summary>
    private static async Task<string> ReadAllAsync(byte[] input)
    {
        var reader = new FrameReader(new MemoryStream(input), NativeProtocol.MaxIncomingBytes);
        var frames = 0;
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadAsync(CancellationToken.None) is not null)
                {
                    frames++;
                }

                return "end";
            }
            catch (FramingException e)
            {
                return e.GetType().Name + ": " + Digits().Replace(e.Message, "#");
            }
        });
        (await reading.WaitAsync(Limit)).Should().NotBeNull();
        return $"{Math.Min(frames, 3)} frames, {await reading}";
    }

    private static (byte[] Stream, int[] Headers) ValidStream()
    {
        string[] bodies = ["""{"type":"hello","protocol":1}""", "", "{}", """{"type":"capture-reply","requestId":"r","error":"e"}"""];
        var stream = new List<byte>();
        var headers = new List<int>();
        foreach (var body in bodies)
        {
            headers.Add(stream.Count);
            stream.AddRange(Frames.Of(body));
        }

        return ([.. stream], [.. headers]);
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
