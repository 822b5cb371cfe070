namespace Grape.Server.Rest.Dto;

/// <summary>The bare body of <c>GET /</c> (no envelope), as Qdrant's <c>VersionInfo</c>.</summary>
/// <summary>Qdrant's <c>/</c> answer. <see cref="Version"/> is the Qdrant API version Grape implements, so Qdrant's clients
/// (which compare it with their own) run without a mismatch warning; <see cref="GrapeVersion"/> is Grape's own.</summary>
internal sealed record VersionInfoDto(string Title, string Version, string? Commit, string GrapeVersion);

internal sealed record IssuesDto(List<string> Issues);

/// <summary>A real but small <c>TelemetryData</c>: identity, uptime, collections and REST response counters.</summary>
internal sealed record TelemetryDto(string Id, TelemetryAppDto App, TelemetryCollectionsDto Collections, TelemetryRequestsDto Requests);

internal sealed record TelemetryAppDto(string Name, string Version, DateTimeOffset Startup, double UptimeSeconds);

internal sealed record TelemetryCollectionsDto(int NumberOfCollections, List<TelemetryCollectionDto>? Collections);

internal sealed record TelemetryCollectionDto(string Id, long PointsCount, int SegmentsCount, string Status);

internal sealed record TelemetryRequestsDto(TelemetryRestDto Rest);

internal sealed record TelemetryRestDto(Dictionary<string, Dictionary<string, TelemetryResponseDto>> Responses);

internal sealed record TelemetryResponseDto(long Count, double AvgDurationMicros);
