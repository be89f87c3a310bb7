namespace eSafe.Server.Retention;

/// <summary>The <c>Retention</c> settings: how often the sweep runs (each school's retention itself is the school's setting).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Minutes between sweeps; a month expires at midnight UTC on its first day, so an hour is soon enough.</summary>
    public double SweepMinutes { get; set; } = 60;
}
