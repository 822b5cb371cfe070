using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grape.Core.Embedded;

/// <summary>
/// Reports a <see cref="GrapeDatabase"/> to Microsoft.Extensions.Diagnostics.HealthChecks: Healthy while running,
/// Degraded while starting or stopping, Unhealthy when stopped or faulted. The data carries the state and the count of
/// operations in flight.
/// </summary>
public sealed class GrapeHealthCheck(GrapeDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = database.State;
        var data = new Dictionary<string, object>
        {
            ["state"] = state.ToString(),
            ["operations_in_flight"] = database.OperationsInFlight,
        };
        var result = state switch
        {
            GrapeState.Running => HealthCheckResult.Healthy("Grape is running", data),
            GrapeState.Starting or GrapeState.Stopping => HealthCheckResult.Degraded($"Grape is {state.ToString().ToLowerInvariant()}", data: data),
            _ => HealthCheckResult.Unhealthy($"Grape is {state.ToString().ToLowerInvariant()}", data: data),
        };
        return Task.FromResult(result);
    }
}
