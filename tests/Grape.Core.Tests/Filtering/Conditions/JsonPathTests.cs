using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;

namespace Grape.Core.Tests.Filtering.Conditions;

public class JsonPathTests
{
    [Fact]
    public void Parses_keys_indexes_wildcards_and_quoted_keys()
    {
        var path = JsonPath.Parse("foo[1][50].bar-baz[].\"qux[.]quux\"");
        var s = path.Segments;
        Assert.Equal(6, s.Length);
        Assert.Equal("foo", s[0].Key);
        Assert.Equal((JsonPathSegmentKind.Index, 1), (s[1].Kind, s[1].Index));
        Assert.Equal((JsonPathSegmentKind.Index, 50), (s[2].Kind, s[2].Index));
        Assert.Equal("bar-baz", s[3].Key);
        Assert.Equal(JsonPathSegmentKind.Wildcard, s[4].Kind);
        Assert.Equal("qux[.]quux", s[5].Key);
    }

    [Theory]
    [InlineData("a", 1)]
    [InlineData("a_b-c.d9", 2)]
    [InlineData("\"a.b\".c", 2)]
    [InlineData("a[]", 2)]
    [InlineData("город.улица", 2)]
    public void Accepts_valid_paths(string text, int segments) => Assert.Equal(segments, JsonPath.Parse(text).Segments.Length);

    [Theory]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("[0]")]
    [InlineData("a[x]")]
    [InlineData("a[-1]")]
    [InlineData("a[")]
    [InlineData("a b")]
    [InlineData("a.\"b")]
    [InlineData("a.\"b\\\"c\"")]
    [InlineData("a]")]
    public void Rejects_bad_syntax_naming_the_path(string text)
    {
        var e = Assert.Throws<BadRequestException>(() => JsonPath.Parse(text));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void Rejects_an_empty_key()
    {
        var e = Assert.Throws<BadRequestException>(() => JsonPath.Parse(""));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Array_key_appends_a_wildcard_once()
    {
        Assert.Equal("a.b[]", JsonPath.Parse("a.b").ArrayKey().Text);
        Assert.Equal("a.b[]", JsonPath.Parse("a.b[]").ArrayKey().Text);
    }
}
