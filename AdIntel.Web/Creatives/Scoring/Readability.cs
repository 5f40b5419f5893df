using System.Text.RegularExpressions;

namespace AdIntel.Web.Creatives.Scoring;

/// <summary>Sentences, words and syllables of a text, and its Flesch reading ease and Flesch–Kincaid grade.</summary>
public sealed record ReadingLevel(int Sentences, int Words, int Syllables)
{
    public double WordsPerSentence => Sentences == 0 ? 0 : (double)Words / Sentences;
    public double SyllablesPerWord => Words == 0 ? 0 : (double)Syllables / Words;

    /// <summary>206.835 − 1.015 × words per sentence − 84.6 × syllables per word (higher is easier; 60–80 is plain English).</summary>
    public double ReadingEase => 206.835 - 1.015 * WordsPerSentence - 84.6 * SyllablesPerWord;

    /// <summary>0.39 × words per sentence + 11.8 × syllables per word − 15.59 (a US school grade).</summary>
    public double Grade => 0.39 * WordsPerSentence + 11.8 * SyllablesPerWord - 15.59;
}

public static partial class Readability
{
    public static ReadingLevel Measure(string text)
    {
        var words = Words(text);
        // A sentence ends at . ! ? or a line break; text without an ending is one sentence.
        var sentences = Math.Max(1, SentenceEnd().Count(text.Trim()) + (EndsWithStop().IsMatch(text.Trim()) ? 0 : 1));
        return new ReadingLevel(words.Count == 0 ? 0 : sentences, words.Count, words.Sum(CountSyllables));
    }

    public static IReadOnlyList<string> Words(string text) => [.. Word().Matches(text).Select(m => m.Value)];

    /// <summary>
    /// The syllable heuristic: groups of vowels (a e i o u y) in the word's letters, less a silent final "e" (but not
    /// "-le" after a consonant, as in "simple"), and "-es"/"-ed" endings that add no syllable ("makes", "saved");
    /// at least one per word. Numbers count one syllable per digit group.
    /// </summary>
    public static int CountSyllables(string word)
    {
        var letters = new string([.. word.ToLowerInvariant().Where(char.IsLetter)]);
        if (letters.Length == 0)
        {
            return 1;
        }
        var count = VowelGroup().Count(letters);
        if (letters.Length > 2 && letters.EndsWith('e') && !letters.EndsWith("le", StringComparison.Ordinal) && !letters.EndsWith("ee", StringComparison.Ordinal))
        {
            count--;
        }
        else if (letters.Length > 3 && (letters.EndsWith("es", StringComparison.Ordinal) || letters.EndsWith("ed", StringComparison.Ordinal))
            && !"tdscxz".Contains(letters[^3]) && !"aeiouy".Contains(letters[^3]))
        {
            count--;
        }
        return Math.Max(1, count);
    }

    [GeneratedRegex(@"[A-Za-z0-9'’]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"[aeiouy]+")]
    private static partial Regex VowelGroup();

    [GeneratedRegex(@"[.!?]+(?:\s+|$)|\n+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[.!?\n]$")]
    private static partial Regex EndsWithStop();
}
