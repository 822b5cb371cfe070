namespace Grape.Server.Errors;

/// <summary>
/// A request the edge refuses before it reaches the engine, with the HTTP status Qdrant gives it: 400 for a body
/// that does not deserialize, 422 for a value that fails validation, 413 for a body over the size limit.
/// The message is sent as is (it already carries Qdrant's prefix, e.g. "Format error in JSON body: ...").
/// </summary>
internal sealed class RequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static RequestException Format(string what) => new(400, $"Format error in JSON body: {what}");
    public static RequestException Validation(string what) => new(422, $"Validation error in JSON body: {what}");
    public static RequestException Query(string what) => new(400, $"Deserialize error in query parameters: {what}");
    public static RequestException PathValidation(string what) => new(422, $"Validation error in path parameters: {what}");
    public static RequestException NotSupported(string what) => new(400, $"Bad request: {what} is not supported by Grape yet");
}
