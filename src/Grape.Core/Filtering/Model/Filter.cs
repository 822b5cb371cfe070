namespace Grape.Core.Filtering.Model;

/// <summary>
/// Qdrant's filter: every <c>Must</c> condition holds, at least one <c>Should</c> holds (when any are given),
/// no <c>MustNot</c> holds, and at least <c>MinShould.MinCount</c> of <c>MinShould.Conditions</c> hold.
/// </summary>
public sealed record Filter
{
    public IReadOnlyList<Condition>? Must { get; init; }
    public IReadOnlyList<Condition>? Should { get; init; }
    public IReadOnlyList<Condition>? MustNot { get; init; }
    public MinShould? MinShould { get; init; }

    public static Filter MustAll(params Condition[] conditions) => new() { Must = conditions };
}

/// <summary>At least <see cref="MinCount"/> of <see cref="Conditions"/> must hold.</summary>
public sealed record MinShould(IReadOnlyList<Condition> Conditions, int MinCount);
