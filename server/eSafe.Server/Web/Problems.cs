namespace eSafe.Server.Web;

/// <summary>Problem documents (RFC 9457) with messages that say what is wrong, never what the data held.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult Invalid(IDictionary<string, string[]> errors, string detail) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "The request is not valid");
}
