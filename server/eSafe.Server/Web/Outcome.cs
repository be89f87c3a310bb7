namespace eSafe.Server.Web;

/// <summary>What a console service did: the value, or why not. Endpoints map it to a result in one place (<see cref="ToResult"/>).</summary>
public sealed record Outcome<T>
{
    internal Outcome(T? value, int status, string? message, IDictionary<string, string[]>? errors)
    {
        Value = value;
        Status = status;
        Message = message;
        Errors = errors;
    }

    public T? Value { get; }
    public int Status { get; }
    public string? Message { get; }
    public IDictionary<string, string[]>? Errors { get; }

    public static implicit operator Outcome<T>(T value) => new(value, StatusCodes.Status200OK, null, null);

    /// <summary>The same refusal for another kind of value (only for an outcome that is not OK).</summary>
    public Outcome<TOther> As<TOther>() => Status == StatusCodes.Status200OK
        ? throw new InvalidOperationException("An OK outcome carries its value; only a refusal converts.")
        : new(default, Status, Message, Errors);

    public IResult ToResult(Func<T, IResult> ok) => Status switch
    {
        StatusCodes.Status200OK => ok(Value!),
        StatusCodes.Status404NotFound => Problems.NotFound(Message!),
        StatusCodes.Status403Forbidden => Problems.Status(Status, "Not allowed", Message!),
        StatusCodes.Status409Conflict => Problems.Status(Status, "Conflict", Message!),
        _ => Problems.Invalid(Errors!, Message!),
    };
}

/// <summary>Makes <see cref="Outcome{T}"/> values.</summary>
public static class Outcome
{
    public static Outcome<T> Of<T>(T value) => value;

    public static Outcome<T> NotFound<T>(string message) => new(default, StatusCodes.Status404NotFound, message, null);

    public static Outcome<T> Forbidden<T>(string message) => new(default, StatusCodes.Status403Forbidden, message, null);

    /// <summary>The request conflicts with the record's current state (or someone else changed it first).</summary>
    public static Outcome<T> Conflict<T>(string message) => new(default, StatusCodes.Status409Conflict, message, null);

    public static Outcome<T> Invalid<T>(IDictionary<string, string[]> errors, string message) =>
        new(default, StatusCodes.Status400BadRequest, message, errors);
}
