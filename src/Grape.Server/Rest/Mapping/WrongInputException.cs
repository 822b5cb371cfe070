namespace Grape.Server.Rest.Mapping;

/// <summary>A request that is well-formed JSON but inconsistent (Qdrant's "Wrong input", 400), found at the edge.</summary>
internal sealed class WrongInputException(string message) : Core.Errors.BadRequestException(message);
