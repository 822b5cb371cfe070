using Grape.Server.Errors;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Refusals of malformed gRPC input; they become INVALID_ARGUMENT with Qdrant's gRPC validation text.</summary>
internal static class GrpcInput
{
    public static RequestException Invalid(string what) => new(422, $"Validation error in body: [{what}]");
}
