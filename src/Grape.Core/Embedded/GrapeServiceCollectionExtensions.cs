using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grape.Core.Embedded;

/// <summary>Registers Grape in a dependency-injection container.</summary>
public static class GrapeServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="GrapeDatabase"/> opened from <paramref name="configure"/>'s options (on first use, or
    /// at host start), closed gracefully with its <see cref="GrapeOptions.CloseTimeout"/> when the host stops, and a
    /// <see cref="GrapeHealthCheck"/> named "grape" when health checks are registered.
    /// </summary>
    public static IServiceCollection AddGrape(this IServiceCollection services, Func<IServiceProvider, GrapeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(sp =>
        {
            var options = configure(sp);
            if (ReferenceEquals(options.LoggerFactory, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
                && sp.GetService<ILoggerFactory>() is { } lf)
                options = options with { LoggerFactory = lf };
            return GrapeDatabase.Open(options);
        });
        services.TryAddSingleton<GrapeHealthCheck>();
        services.AddHostedService<GrapeHostedService>();
        return services;
    }

    /// <summary>Adds Grape on a storage folder.</summary>
    public static IServiceCollection AddGrape(this IServiceCollection services, GrapeOptions options) => services.AddGrape(_ => options);
}

/// <summary>Opens the database when the host starts and closes it gracefully when the host stops.</summary>
internal sealed class GrapeHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<GrapeDatabase>();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await services.GetRequiredService<GrapeDatabase>().CloseAsync().ConfigureAwait(false);
}
