using System.Text.Json;
using System.Text.Json.Serialization;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Storage;

namespace Grape.Core.Collections;

/// <summary>
/// Every collection and alias of this node (Qdrant's table of contents). Owns the storage folder's lock.
/// Metadata changes are serialized by one lock and persisted atomically (temp file, fsync, rename).
/// </summary>
internal sealed class Catalog : IDisposable
{
    private const string LockFileName = "grape.lock";
    private const string CatalogFileName = "catalog.json";

    private readonly GrapeOptions _options;
    private readonly string _root;          // storage folder (a private temp folder for in-memory databases)
    private readonly FileStream? _lock;
    private readonly object _sync = new();
    private Dictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private bool _disposed;

    private Catalog(GrapeOptions options, string root, FileStream? lockFile)
    {
        _options = options;
        _root = root;
        _lock = lockFile;
    }

    /// <summary>Raised when a collection hits a storage failure it cannot recover from.</summary>
    public event Action<Exception>? Faulted;

    public static Catalog Open(GrapeOptions options)
    {
        string root = options.StoragePath is { } path
            ? Path.GetFullPath(path)
            : Path.Combine(Path.GetTempPath(), "grape-mem-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(root);
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process, or a second open in
            // this process, fails here instead of sharing the files.
            lockFile = new FileStream(Path.Combine(root, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StorageLockedException(root, e);
        }

        var catalog = new Catalog(options, root, lockFile);
        try
        {
            catalog.Load();
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
        return catalog;
    }

    private string CollectionsDir => Path.Combine(_root, "collections");

    private void Load()
    {
        var file = Path.Combine(_root, CatalogFileName);
        CatalogFile state = File.Exists(file)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(file), CatalogJsonContext.Default.CatalogFile)
                ?? throw new StorageCorruptedException($"Empty catalog file {file}")
            : new CatalogFile([], new());
        foreach (var name in state.Collections)
        {
            var collection = Collection.Open(name, Path.Combine(CollectionsDir, DirectoryNameOf(name)), _options);
            collection.Faulted += e => Faulted?.Invoke(e);
            _collections[name] = collection;
        }
        _aliases = new Dictionary<string, string>(state.Aliases, StringComparer.Ordinal);
        // Folders of collections not in the catalog are leftovers of an interrupted create or delete.
        if (System.IO.Directory.Exists(CollectionsDir))
        {
            var known = new HashSet<string>(state.Collections.Select(DirectoryNameOf), StringComparer.Ordinal);
            foreach (var dir in System.IO.Directory.GetDirectories(CollectionsDir))
                if (!known.Contains(Path.GetFileName(dir))) System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private void Persist()
    {
        var state = new CatalogFile(_collections.Keys.Order(StringComparer.Ordinal).ToList(), new Dictionary<string, string>(_aliases));
        AtomicFile.WriteAllBytes(Path.Combine(_root, CatalogFileName), JsonSerializer.SerializeToUtf8Bytes(state, CatalogJsonContext.Default.CatalogFile), durable: !_options.IsInMemory);
    }

    // Names are used as folder names; Qdrant's own rules already exclude '/', '\\' and NUL. Encode anything risky.
    private static string DirectoryNameOf(string name) => name is "." or ".." ? "%" + name : name;

    /// <summary>Qdrant's collection-name rules: 1..255 characters, none of &lt; &gt; : " / \ | ? * NUL or control 0x1F.</summary>
    public static void ValidateName(string name, string what = "collection name")
    {
        if (string.IsNullOrEmpty(name)) ThrowHelper.BadRequest($"Validation error in {what}: must not be empty");
        if (name.Length > 255) ThrowHelper.BadRequest($"Validation error in {what}: must be at most 255 characters");
        foreach (char c in name)
        {
            if (c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' or '\0' || c == '\u001f')
                ThrowHelper.BadRequest($"Validation error in {what}: `{name}` must not contain {Display(c)}");
        }
        if (name is "." or "..") ThrowHelper.BadRequest($"Validation error in {what}: `{name}` is not allowed");
    }

    private static string Display(char c) => c switch { '\0' => "NUL", '\u001f' => "0x1F", _ => $"`{c}`" };

    public Collection Get(string nameOrAlias)
    {
        var map = Volatile.Read(ref _collections);
        if (map.TryGetValue(nameOrAlias, out var c)) return c;
        lock (_sync)
        {
            if (_aliases.TryGetValue(nameOrAlias, out var target) && _collections.TryGetValue(target, out c)) return c;
        }
        throw new CollectionNotFoundException(nameOrAlias);
    }

    public bool CollectionExists(string name) => Volatile.Read(ref _collections).ContainsKey(name);

    public IReadOnlyList<string> ListCollections() => Volatile.Read(ref _collections).Keys.Order(StringComparer.Ordinal).ToList();

    public void CreateCollection(string name, CreateCollectionRequest request)
    {
        ValidateName(name);
        var config = CollectionConfigValidator.Build(request, _options);
        lock (_sync)
        {
            ThrowIfDisposed();
            if (_collections.ContainsKey(name)) throw new AlreadyExistsException($"Wrong input: Collection `{name}` already exists!");
            // Qdrant answers a name taken by an alias as bad input (400), not as a conflict.
            if (_aliases.ContainsKey(name)) throw new BadRequestException($"Wrong input: Can't create collection with name {name}. Alias with the same name already exists");
            var collection = Collection.Create(name, Path.Combine(CollectionsDir, DirectoryNameOf(name)), config, _options);
            collection.Faulted += e => Faulted?.Invoke(e);
            var next = new Dictionary<string, Collection>(_collections, StringComparer.Ordinal) { [name] = collection };
            Volatile.Write(ref _collections, next);
            Persist();
        }
    }

    public void UpdateCollection(string name, UpdateCollectionRequest request)
    {
        var collection = Get(name);
        lock (_sync)
        {
            ThrowIfDisposed();
            collection.UpdateConfig(request);
        }
    }

    public bool DeleteCollection(string name)
    {
        Collection? removed;
        lock (_sync)
        {
            ThrowIfDisposed();
            if (!_collections.TryGetValue(name, out removed)) return false;
            var next = new Dictionary<string, Collection>(_collections, StringComparer.Ordinal);
            next.Remove(name);
            Volatile.Write(ref _collections, next);
            foreach (var alias in _aliases.Where(a => a.Value == name).Select(a => a.Key).ToList()) _aliases.Remove(alias);
            Persist();
        }
        // Persisted without it first: a crash now leaves a folder that the next open deletes.
        removed.DisposeAndDeleteFiles();
        return true;
    }

    public void UpdateAliases(IReadOnlyList<AliasOperation> operations)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            // Apply to a copy; commit only if every step is valid (atomic switch).
            var aliases = new Dictionary<string, string>(_aliases, StringComparer.Ordinal);
            foreach (var op in operations)
            {
                switch (op)
                {
                    case CreateAlias c:
                        ValidateName(c.AliasName, "alias name");
                        if (!_collections.ContainsKey(c.CollectionName)) throw new CollectionNotFoundException(c.CollectionName);
                        if (_collections.ContainsKey(c.AliasName)) throw new AlreadyExistsException($"Wrong input: Collection `{c.AliasName}` already exists!");
                        aliases[c.AliasName] = c.CollectionName; // Qdrant re-points an existing alias
                        break;
                    case DeleteAlias d:
                        aliases.Remove(d.AliasName); // deleting a missing alias is a no-op, as in Qdrant
                        break;
                    case RenameAlias r:
                        ValidateName(r.NewAliasName, "alias name");
                        if (!aliases.Remove(r.OldAliasName, out var target)) throw new NotFoundException($"Alias {r.OldAliasName} does not exist!");
                        if (_collections.ContainsKey(r.NewAliasName)) throw new AlreadyExistsException($"Wrong input: Collection `{r.NewAliasName}` already exists!");
                        aliases[r.NewAliasName] = target;
                        break;
                    default:
                        throw new BadRequestException("Unknown alias operation");
                }
            }
            _aliases = aliases;
            Persist();
        }
    }

    public IReadOnlyList<AliasDescription> ListAliases(string? collection)
    {
        lock (_sync)
        {
            // Qdrant lists the aliases of a missing collection as none, without an error.
            return _aliases.Where(a => collection is null || a.Value == collection)
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new AliasDescription(a.Key, a.Value)).ToList();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) ThrowHelper.Closed();
    }

    public void Dispose()
    {
        List<Exception>? errors = null;
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            // Close steps go on past a failing one.
            foreach (var c in _collections.Values)
            {
                try { c.Dispose(); } catch (Exception e) { (errors ??= []).Add(e); }
            }
        }
        _lock?.Dispose();
        if (_options.IsInMemory)
        {
            try { System.IO.Directory.Delete(_root, recursive: true); } catch (IOException) { } // best effort for a temp folder
        }
        if (errors is not null) throw new AggregateException("Closing some collections failed", errors);
    }
}

internal sealed record CatalogFile(List<string> Collections, Dictionary<string, string> Aliases);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
