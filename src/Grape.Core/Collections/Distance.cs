namespace Grape.Core.Collections;

/// <summary>Qdrant's distance functions. Cosine and Dot score higher-is-closer; Euclid and Manhattan are distances (smaller first).</summary>
public enum Distance { Cosine, Euclid, Dot, Manhattan }
