namespace eSafe.Contracts.Http;

/// <summary>How long a school's incidents are kept: months after the month the server received them in.</summary>
public sealed record RetentionView(string SchoolId, int Months, bool IsDefault, int DefaultMonths, int MinMonths, int MaxMonths);

/// <summary>A school's new retention in months; null for the default.</summary>
public sealed record RetentionRequest(int? Months);
