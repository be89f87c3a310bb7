namespace eSafe.Benchmarks.Workload;

/// <summary>
/// The words the generated text and phrase sets are made of: common English chat words, pseudo-words
/// for the long tail of a pupil's vocabulary, and "rare" pseudo-words that only threat phrases use (so
/// that the text has no hit other than the ones planted in it).
/// </summary>
internal static class Vocabulary
{
    /// <summary>Common words, most frequent first (the text draws them on a Zipf curve).</summary>
    public static readonly string[] Common =
    [
        "i", "the", "you", "to", "a", "and", "it", "is", "lol", "my", "that", "in", "me", "so", "of", "u", "im", "do",
        "we", "have", "not", "this", "was", "on", "just", "but", "like", "what", "be", "for", "are", "dont", "can",
        "no", "yeah", "get", "with", "he", "she", "they", "omg", "at", "its", "go", "know", "all", "if", "up", "ur",
        "one", "out", "about", "now", "did", "got", "think", "really", "when", "how", "your", "why", "too", "want",
        "there", "was", "then", "see", "her", "him", "them", "ok", "okay", "tho", "tbh", "idk", "bro", "literally",
        "school", "homework", "teacher", "class", "lesson", "maths", "english", "science", "history", "geography",
        "test", "exam", "mum", "dad", "sister", "brother", "friend", "friends", "football", "game", "games", "play",
        "playing", "tomorrow", "today", "tonight", "yesterday", "weekend", "friday", "monday", "lunch", "break",
        "bus", "phone", "text", "chat", "group", "send", "sent", "said", "says", "tell", "told", "ask", "asked",
        "going", "gonna", "wanna", "would", "could", "should", "will", "been", "has", "had", "were", "some", "any",
        "more", "much", "very", "well", "good", "bad", "funny", "boring", "annoying", "weird", "cool", "nice",
        "love", "hate", "hates", "killing", "dead", "dying", "mad", "sad", "happy", "tired", "hungry", "late",
        "early", "time", "day", "night", "week", "year", "minutes", "hour", "first", "last", "next", "new", "old",
        "big", "little", "best", "worst", "always", "never", "sometimes", "again", "still", "already", "yet",
        "because", "cos", "or", "than", "who", "which", "where", "here", "our", "us", "his", "their", "these",
        "those", "from", "into", "over", "after", "before", "after", "under", "help", "need", "make", "made",
        "look", "looks", "looking", "come", "came", "take", "took", "give", "gave", "find", "found", "keep",
        "let", "put", "feel", "feels", "mean", "means", "try", "trying", "work", "working", "done", "finish",
        "start", "stop", "wait", "watch", "watching", "video", "videos", "youtube", "tiktok", "insta", "snap",
        "roblox", "minecraft", "fortnite", "song", "music", "film", "show", "episode", "season", "pizza", "chips",
        "food", "canteen", "dinner", "breakfast", "sweets", "drink", "water", "coat", "bag", "pen", "book",
        "books", "page", "pages", "question", "questions", "answer", "answers", "essay", "project", "poster",
        "slides", "laptop", "chromebook", "wifi", "password", "login", "website", "google", "classroom", "teams",
        "detention", "sir", "miss", "head", "office", "hall", "assembly", "pe", "kit", "trainers", "shoes",
        "hair", "face", "photo", "pic", "pics", "selfie", "party", "birthday", "present", "cake", "holiday",
        "summer", "winter", "rain", "cold", "hot", "snow", "walk", "home", "house", "room", "bed", "sleep",
        "slept", "awake", "morning", "afternoon", "evening", "yes", "nah", "yep", "nope", "maybe", "probably",
        "definitely", "actually", "basically", "seriously", "honestly", "anyway", "whatever", "everyone",
        "someone", "anyone", "nobody", "something", "anything", "nothing", "everything", "thing", "things",
        "people", "person", "guy", "guys", "girl", "girls", "boy", "boys", "kid", "kids", "team", "match", "goal",
        "score", "won", "lost", "win", "lose", "mark", "marks", "grade", "grades", "level", "points", "streak",
        "message", "messages", "reply", "replied", "online", "offline", "call", "calling", "ring", "meet",
        "meeting", "park", "shop", "shops", "town", "money", "pound", "pounds", "buy", "bought", "cheap",
        "free", "ready", "sure", "true", "false", "right", "wrong", "easy", "hard", "fast", "slow", "loud",
        "quiet", "secret", "alone", "together", "ugly", "pretty", "cute", "stupid", "clever", "smart", "dumb",
    ];

    /// <summary>Words threat phrases often start with; some are everyday words too.</summary>
    public static readonly string[] PhraseStarters =
    [
        "i", "you", "u", "im", "ur", "we", "go", "kill", "want", "send", "meet", "hate", "cut", "gonna", "dont",
        "wanna", "your", "he", "she", "they", "my", "do", "get", "come", "give", "show", "no", "all",
    ];

    /// <summary>Threat-like words that phrases use after their first word.</summary>
    public static readonly string[] ThreatWords =
    [
        "kill", "die", "hurt", "cut", "hate", "stab", "shoot", "bomb", "gun", "knife", "weed", "pills", "nudes",
        "pics", "secret", "alone", "ugly", "fat", "loser", "end", "myself", "yourself", "it", "all", "dead",
        "blood", "burn", "hang", "jump", "run", "away", "tonight", "now", "me", "you", "them", "at", "school",
    ];

    private static readonly string[] Onsets =
        ["b", "br", "d", "f", "g", "gr", "k", "l", "m", "n", "p", "pl", "r", "s", "st", "t", "tr", "v", "sh", "ch", "th", "w", "h", "j"];

    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ee", "oa", "y"];

    private static readonly string[] Codas = ["", "", "", "n", "r", "s", "t", "l", "k", "m", "nd", "st", "ng"];

    private static readonly string[] RareOnsets = ["q", "zv", "kr", "vl", "xo", "dz", "gw", "fj", "zr", "pw", "kv", "zh"];

    /// <summary>A pupil's long tail of words: pseudo-words of one to three syllables, all distinct.</summary>
    public static string[] PseudoWords(int count, int seed)
    {
        var random = new Random(seed);
        var words = new HashSet<string>(Common, StringComparer.Ordinal);
        var result = new List<string>(count);
        while (result.Count < count)
        {
            var syllables = 1 + random.Next(3);
            var word = "";
            for (var s = 0; s < syllables; s++)
            {
                word += Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)];
            }

            if (word.Length >= 3 && words.Add(word))
            {
                result.Add(word);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// Words only phrases use: two or three syllables, each word starting with an onset (q, zv, kr…) that
    /// the text's words never have, so no text word can end up matching one.
    /// </summary>
    public static string[] RareWords(int count, int seed)
    {
        var random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(count);
        while (result.Count < count)
        {
            var word = RareOnsets[random.Next(RareOnsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)];
            var syllables = 1 + random.Next(2);
            for (var s = 0; s < syllables; s++)
            {
                word += Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)];
            }

            if (word.Length >= 5 && words.Add(word))
            {
                result.Add(word);
            }
        }

        return [.. result];
    }
}
