namespace Grape.Server.Errors;

/// <summary>The storage is still opening (or failed to open); requests get 503 until /readyz says ready.</summary>
internal sealed class ServiceNotReadyException(string message) : Exception(message);
