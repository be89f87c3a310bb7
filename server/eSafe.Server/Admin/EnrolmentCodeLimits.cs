using System.Globalization;

namespace eSafe.Server.Admin;

/// <summary>How many devices may enrol with a code, and for how long it works.</summary>
public sealed record EnrolmentCodeLimits(int Uses, TimeSpan? ValidFor = null, DateTimeOffset? ExpiresAt = null)
{
    public const int DefaultUses = 500;
    public const int MaxUses = 100_000;
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(366);

    public static EnrolmentCodeLimits Default { get; } = new(DefaultUses, DefaultValidity);

    /// <summary>When a code issued at <paramref name="issuedAt"/> stops working.</summary>
    public DateTimeOffset ExpiryFrom(DateTimeOffset issuedAt) => ExpiresAt ?? issuedAt + (ValidFor ?? DefaultValidity);

    /// <summary>Why these limits cannot be used for a code issued at <paramref name="issuedAt"/>, or null.</summary>
    public string? Problem(DateTimeOffset issuedAt)
    {
        if (Uses is < 1 or > MaxUses)
        {
            return $"--uses must be 1 to {MaxUses}.";
        }

        var expiry = ExpiryFrom(issuedAt);
        return expiry <= issuedAt ? "The expiry must be in the future."
            : expiry - issuedAt > MaxValidity ? "A code can work for at most 366 days."
            : null;
    }

    /// <summary>
    /// Reads <c>--expires</c>: a duration (<c>30d</c>, <c>12h</c>, <c>90m</c>) or a date/time (<c>2026-12-31</c>, taken as the
    /// end of that day in UTC, or an ISO 8601 time with offset). Null when it is neither.
    /// </summary>
    public static EnrolmentCodeLimits? Parse(int uses, string? expires)
    {
        if (string.IsNullOrWhiteSpace(expires))
        {
            return new EnrolmentCodeLimits(uses, DefaultValidity);
        }

        var text = expires.Trim();
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (span is not null)
            {
                return new EnrolmentCodeLimits(uses, span);
            }
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new EnrolmentCodeLimits(uses, ExpiresAt: new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? new EnrolmentCodeLimits(uses, ExpiresAt: at)
            : null;
    }
}
