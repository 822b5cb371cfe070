namespace Grape.Core.Errors;

/// <summary>The root of every error Grape reports. Catch a subclass to react to a kind of failure.</summary>
public class GrapeException : Exception
{
    public GrapeException(string message) : base(message) { }
    public GrapeException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The request is invalid (wrong dimension, NaN, bad name, bad filter, ...). Nothing was changed.</summary>
public class BadRequestException : GrapeException
{
    public BadRequestException(string message) : base(message) { }
}

/// <summary>Something named by the request does not exist.</summary>
public class NotFoundException : GrapeException
{
    public NotFoundException(string message) : base(message) { }
}

/// <summary>The named collection (or alias) does not exist.</summary>
public sealed class CollectionNotFoundException : NotFoundException
{
    public CollectionNotFoundException(string name) : base($"Collection `{name}` doesn't exist!") => CollectionName = name;
    public string CollectionName { get; }
}

/// <summary>A point named by id does not exist.</summary>
public sealed class PointNotFoundException : NotFoundException
{
    public PointNotFoundException(string id) : base($"No point with id {id} found") { }
}

/// <summary>The thing to create exists already.</summary>
public sealed class AlreadyExistsException : GrapeException
{
    public AlreadyExistsException(string message) : base(message) { }
}

/// <summary>The database is closing or closed and takes no new calls.</summary>
public sealed class GrapeClosedException : GrapeException
{
    public GrapeClosedException(string message = "The Grape database is closed") : base(message) { }
}

/// <summary>Another process (or another open database in this process) owns the storage folder.</summary>
public sealed class StorageLockedException : GrapeException
{
    public StorageLockedException(string path, Exception? inner = null)
        : base($"Storage folder `{path}` is already in use by another Grape instance", inner) { }
}

/// <summary>Stored data failed a check (checksum, format). The database goes to the Faulted state.</summary>
public sealed class StorageCorruptedException : GrapeException
{
    public StorageCorruptedException(string message, Exception? inner = null) : base(message, inner) { }
}
