namespace Grape.Server.Auth;

/// <summary>What an endpoint needs when API keys are configured.</summary>
internal enum AccessLevel
{
    /// <summary>No key needed (Qdrant's whitelist: /, /healthz, /livez, /readyz).</summary>
    Open,
    /// <summary>The read-only key or the full key.</summary>
    Read,
    /// <summary>Only the full key (api_key or alt_api_key).</summary>
    Write,
}

/// <summary>Endpoint metadata read by <see cref="ApiKeyMiddleware"/>.</summary>
internal sealed record AccessMetadata(AccessLevel Level);
