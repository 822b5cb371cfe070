using Grape.Server.Grpc.Mapping;
using C = Grape.Core.Filtering.Model;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Tests.Grpc.Mapping;

/// <summary>gRPC filter messages to the engine's filter model.</summary>
public class GrpcFilterMapperTests
{
    [Fact]
    public void Match_prefix_maps_to_the_prefix_condition()
    {
        var filter = new P.Filter();
        filter.Must.Add(new P.Condition { Field = new P.FieldCondition { Key = "city", Match = new P.Match { Prefix = "Ber" } } });
        var c = Assert.IsType<C.FieldCondition>(Assert.Single(GrpcFilterMapper.Map(filter).Must!));
        Assert.Equal("city", c.Key);
        Assert.Equal("Ber", Assert.IsType<C.MatchPrefix>(c.Match).Prefix);
    }
}
