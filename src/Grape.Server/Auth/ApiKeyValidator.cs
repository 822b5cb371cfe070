using System.Security.Cryptography;
using System.Text;
using Grape.Server.Hosting;

namespace Grape.Server.Auth;

/// <summary>
/// Qdrant's key check: the full keys (api_key, alt_api_key) grant everything, the read-only key grants reads. Keys are
/// compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>: constant time, and the
/// digest also hides the key's length.
/// </summary>
internal sealed class ApiKeyValidator
{
    private readonly byte[][] _fullKeys;
    private readonly byte[]? _readOnlyKey;

    public ApiKeyValidator(ServerSettings settings)
    {
        _fullKeys = new[] { settings.ApiKey, settings.AltApiKey }.Where(k => !string.IsNullOrEmpty(k)).Select(k => Digest(k!)).ToArray();
        _readOnlyKey = string.IsNullOrEmpty(settings.ReadOnlyApiKey) ? null : Digest(settings.ReadOnlyApiKey);
    }

    /// <summary>Auth is on iff any key is configured; otherwise every request has full access.</summary>
    public bool Enabled => _fullKeys.Length > 0 || _readOnlyKey is not null;

    /// <summary>The access a presented key grants: Write, Read, or null for a wrong key.</summary>
    public AccessLevel? Check(string presented)
    {
        byte[] d = Digest(presented);
        bool full = false;
        foreach (var k in _fullKeys) full |= CryptographicOperations.FixedTimeEquals(d, k); // no early exit
        if (full) return AccessLevel.Write;
        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(d, _readOnlyKey)) return AccessLevel.Read;
        return null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
