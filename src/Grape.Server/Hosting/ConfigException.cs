namespace Grape.Server.Hosting;

/// <summary>The configuration cannot be used (unknown key, wrong type, unreadable file). Reported at startup, then exit.</summary>
internal sealed class ConfigException(string message) : Exception(message);
