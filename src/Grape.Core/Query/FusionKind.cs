namespace Grape.Core.Query;

/// <summary>How prefetch results are fused (Qdrant's <c>Fusion</c>).</summary>
public enum FusionKind
{
    /// <summary>Reciprocal rank fusion with Qdrant's defaults (k = 2, equal weights).</summary>
    Rrf,
    /// <summary>Distribution-based score fusion: each list normalised by mean ± 3σ, then summed.</summary>
    Dbsf,
}
