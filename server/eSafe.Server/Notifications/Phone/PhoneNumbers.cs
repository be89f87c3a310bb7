namespace eSafe.Server.Notifications.Phone;

/// <summary>Phone numbers as providers take them: E.164, a plus and 8 to 15 digits, the first not 0.</summary>
public static class PhoneNumbers
{
    public static bool IsE164(string? number) =>
        number is { Length: >= 9 and <= 16 } && number[0] == '+' && number[1] != '0' && !number.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    /// <summary>The number with all but its last four digits hidden, for logs (a contact's number is personal data).</summary>
    public static string Mask(string number) =>
        IsE164(number) ? string.Concat("+", new string('*', number.Length - 5), number.AsSpan(number.Length - 4)) : "(not a phone number)";
}
