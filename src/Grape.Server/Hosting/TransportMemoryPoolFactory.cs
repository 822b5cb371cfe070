using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Grape.Server.Hosting;

/// <summary>Gives Kestrel (its socket transport and connections) a <see cref="TransportMemoryPool"/>.</summary>
internal sealed class TransportMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportMemoryPool();
}
