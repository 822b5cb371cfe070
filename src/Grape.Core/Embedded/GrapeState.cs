namespace Grape.Core.Embedded;

/// <summary>The life of a <see cref="GrapeDatabase"/>.</summary>
public enum GrapeState { Starting, Running, Stopping, Stopped, Faulted }
