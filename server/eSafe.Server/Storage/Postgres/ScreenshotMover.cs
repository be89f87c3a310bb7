using eSafe.Server.Storage.Files;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// A PostgreSQL server given a folder of screenshots (<c>--screenshots</c>) moves the month-key screenshots its database still
/// holds in rows (stored before it had the folder) into the files, in the background, a batch of one school's at a time. Each batch's rows are
/// locked with <c>FOR UPDATE SKIP LOCKED</c>, so processes moving at once take different ones; their ciphertext is written and
/// fsynced to segments made for the batch alone, closed after it (no segment is appended to once rows name it, so none can
/// be removed under a writer), and the rows then point there, in the same transaction. A stop between leaves records
/// nothing references, encrypted, which go with their month. Screenshots under the data key stay in their rows, where
/// <c>keys re-encrypt</c> finds them.
/// </summary>
public sealed partial class ScreenshotMover(DataFolder data, ILogger<ScreenshotMover> log) : BackgroundService
{
    public const int BatchSize = 256;

    // Between batches the disk and the database are left to the requests for a moment.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    // A batch is one school's, oldest first, so that its segments fill (a few months of one school, not one record in each of
    // many schools' folders); this is where the last batch of that school ended.
    private (string SchoolId, string LastId)? _cursor;

    /// <summary>Moves one batch; returns how many screenshots moved (0 once none is left).</summary>
    public async Task<int> MoveBatchAsync(CancellationToken cancellationToken)
    {
        if (!data.HasScreenshotFiles)
        {
            return 0;
        }

        while (true)
        {
            var picked = _cursor is null;
            if (picked)
            {
                await using var connection = await data.RequirePostgres().OpenAsync(cancellationToken);
                var school = await connection.QueryFirstAsync($"""
                    SELECT i.school_id FROM screenshots s JOIN incidents i ON i.id = s.incident_id
                    WHERE s.blob IS NOT NULL AND get_byte(s.blob, 0) = {PeriodKeys.Version}
                    """, r => r.GetString(0), cancellationToken);
                if (school is null)
                {
                    return 0;
                }

                _cursor = (school, "");
            }

            var moved = await MoveAsync(_cursor!.Value.SchoolId, _cursor.Value.LastId, cancellationToken);
            if (moved.Count > 0)
            {
                _cursor = (_cursor.Value.SchoolId, moved[^1]);
                return moved.Count;
            }

            // That school is done, or its rest is being moved by another process, which finishes it: the next one, unless
            // this one was only just picked (then what is left is the other process's).
            _cursor = null;
            if (picked)
            {
                return 0;
            }
        }
    }

    private async Task<List<string>> MoveAsync(string schoolId, string afterId, CancellationToken cancellationToken) =>
        await data.RequirePostgres().InTransactionAsync(async connection =>
        {
            var rows = await connection.QueryAsync($"""
                SELECT s.incident_id, s.blob, i.school_id, i.received_ms FROM screenshots s JOIN incidents i ON i.id = s.incident_id
                WHERE i.school_id = $1 AND i.id > $2 AND s.blob IS NOT NULL AND get_byte(s.blob, 0) = {PeriodKeys.Version}
                ORDER BY i.id LIMIT {BatchSize} FOR UPDATE OF s SKIP LOCKED
                """, r => new ScreenshotToFile(r.GetString(0), r.GetString(2), r.Time(3), r.Bytes(1)), cancellationToken, schoolId, afterId);
            if (rows.Count > 0)
            {
                using var segments = new ScreenshotSegments(data.ScreenshotFiles.Root);
                foreach (var (screenshot, location) in rows.Zip(segments.Append(rows)))
                {
                    await connection.ExecuteAsync("UPDATE screenshots SET blob = NULL, segment = $2, record_offset = $3, length = $4 WHERE incident_id = $1",
                        cancellationToken, screenshot.IncidentId, location.Segment, location.Offset, location.Length);
                }
            }

            return rows.Select(r => r.IncidentId).ToList();
        }, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var moved = 0;
        while (data.HasScreenshotFiles)
        {
            try
            {
                var batch = await MoveBatchAsync(stoppingToken);
                if (batch == 0)
                {
                    break;
                }

                moved += batch;
                await Task.Delay(Pause, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                MoveFailed(log, e.Message);
                await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
            }
        }

        if (moved > 0)
        {
            Moved(log, moved, data.ScreenshotFiles.Root);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} screenshots the database held into the screenshot files in {Folder}")]
    private static partial void Moved(ILogger logger, int count, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving the database's screenshots into the screenshot files failed ({Problem}); trying again in a minute")]
    private static partial void MoveFailed(ILogger logger, string problem);
}
