using System.Collections.Frozen;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// Stop-word languages Qdrant names, and the lists Grape ships. Only English has a built-in list here (our own list
/// of common function words); other languages are refused with a clear error until their lists are added, and
/// <c>custom</c> words work for every language.
/// </summary>
internal static class StopwordLists
{
    private static readonly (string Name, string Alias)[] Languages =
    [
        ("arabic", "ar"), ("azerbaijani", "az"), ("basque", "eu"), ("bengali", "bn"), ("catalan", "ca"), ("chinese", "zh"),
        ("danish", "da"), ("dutch", "nl"), ("english", "en"), ("finnish", "fi"), ("french", "fr"), ("german", "de"),
        ("greek", "el"), ("hebrew", "he"), ("hinglish", "hinglish"), ("hungarian", "hu"), ("indonesian", "id"),
        ("italian", "it"), ("japanese", "ja"), ("kazakh", "kk"), ("nepali", "ne"), ("norwegian", "no"),
        ("portuguese", "pt"), ("romanian", "ro"), ("russian", "ru"), ("slovene", "sl"), ("spanish", "es"),
        ("swedish", "sv"), ("tajik", "tg"), ("turkish", "tr"),
    ];

    public static readonly FrozenSet<string> English = FrozenSet.Create(StringComparer.Ordinal,
    [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
        "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
        "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
        "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should",
        "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
        "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "you", "your",
        "yours", "yourself", "yourselves",
    ]);

    /// <summary>The language's canonical name (aliases such as <c>en</c> accepted), or a bad request for an unknown one.</summary>
    public static string Canonical(string name)
    {
        foreach (var (n, a) in Languages)
            if (name == n || name == a) return n;
        PayloadFieldSchema.Bad($"Format error in JSON body: unknown variant `{name}` for stopwords language");
        return null!;
    }

    public static bool IsSupported(string language) => language == "english";

    public static FrozenSet<string>? For(string language) => language == "english" ? English : null;
}
