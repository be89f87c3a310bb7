namespace eSafe.Detection.Compilation;

/// <summary>
/// Builds a double-array trie of the patterns: a transition is one addition and one comparison
/// (<c>t = base[s] + code; check[t] == s</c>), in flat arrays that load without parsing. A pattern's own
/// end (a chain of single letters down to a leaf, with no output on the way) is kept as a tail of letters
/// instead of one state a letter: most states of a large library are such chains.
/// Deterministic: the same patterns give the same arrays.
/// </summary>
public static class DoubleArrayBuilder
{
    public const int Free = -1;
    public const int RootCheck = -2;

    /// <summary>Marks the base of a state whose only way on is a tail; the rest of the base is where the tail lies.</summary>
    public const int TailFlag = 1 << 30;

    /// <param name="Tails">Each tail: its length, then its letters (skeleton symbols).</param>
    /// <param name="Outputs">The outputs of each state that has any, by state, in pattern order.</param>
    public sealed record Result(ushort[] Codes, char[] Alphabet, int[] Base, int[] Check, char[] Tails,
        SortedDictionary<int, List<Output>> Outputs);

    /// <summary>A pattern the automaton reports at a state, or at the end of the state's tail.</summary>
    public readonly record struct Output(int Entry, PatternOptions Options, int Part, bool AtTailEnd);

    /// <param name="patterns">Sorted by skeleton (as <see cref="PatternSet.Of"/> returns them).</param>
    public static Result Build(IReadOnlyList<Pattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var alphabet = patterns.SelectMany(p => p.Skeleton).Distinct().Order().ToArray();
        if (alphabet.Length >= ushort.MaxValue)
        {
            throw new FormatException("the library uses too many distinct letters");
        }

        var codes = new ushort[65536];
        for (var i = 0; i < alphabet.Length; i++)
        {
            codes[alphabet[i]] = (ushort)(i + 1);
        }

        var trie = Trie.Of(patterns, codes);
        var arrays = new Arrays(trie.Count * 2 + alphabet.Length + 2);
        var state = new int[trie.Count];  // trie node → double-array state
        var tails = new List<char>();
        var outputs = new SortedDictionary<int, List<Output>>();
        arrays.Use(0, RootCheck);
        var queue = new Queue<int>();
        queue.Enqueue(0);
        var searchFrom = 1;
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            var s = state[node];
            AddOutputs(node, s, atTailEnd: false);
            var children = trie.Children[node];
            if (children is null)
            {
                continue;
            }

            if (node != 0 && trie.Tail(node, alphabet) is { } tail)
            {
                arrays.Base[s] = TailFlag | tails.Count;
                tails.Add((char)tail.Letters.Length);
                tails.AddRange(tail.Letters);
                AddOutputs(tail.Leaf, s, atTailEnd: true);
                continue;
            }

            var (b, next) = arrays.FindBase(children, searchFrom);
            searchFrom = next;
            arrays.Base[s] = b;
            foreach (var (code, child) in children)
            {
                arrays.Use(b + code, s);
                state[child] = b + code;
                queue.Enqueue(child);
            }
        }

        var size = arrays.UsedLength();
        if (size >= TailFlag || tails.Count >= TailFlag)
        {
            throw new FormatException("the library is too large to compile");
        }

        return new Result(codes, alphabet, arrays.Base[..size], arrays.Check[..size], [.. tails], outputs);

        void AddOutputs(int node, int s, bool atTailEnd)
        {
            if (trie.Outputs[node] is { } patternsHere)
            {
                var list = outputs.TryGetValue(s, out var known) ? known : outputs[s] = [];
                list.AddRange(patternsHere.Select(p => new Output(patterns[p].Entry, patterns[p].Flags, patterns[p].Part, atTailEnd)));
            }
        }
    }

    private sealed class Arrays(int capacity)
    {
        public int[] Base = new int[capacity];
        public int[] Check = Enumerable.Repeat(Free, capacity).ToArray();

        // For each slot, itself while it is free, else a later slot nearer the next free one (path-compressed),
        // so the search steps over filled slots at once instead of one by one.
        private int[] _nextFree = Enumerable.Range(0, capacity).ToArray();

        public void Use(int slot, int state)
        {
            Check[slot] = state;
            _nextFree[slot] = slot + 1;
        }

        public (int Base, int NextSearch) FindBase(List<(ushort Code, int Child)> children, int searchFrom)
        {
            var first = children[0].Code;
            // Skip over the filled front of the array: the first free slot moves only forward.
            searchFrom = NextFree(searchFrom);

            // The first child goes in a free slot with a base of at least 1: try those slots only.
            for (var slot = NextFree(Math.Max(searchFrom, first + 1)); ; slot = NextFree(slot + 1))
            {
                var b = slot - first;
                Grow(b + children[^1].Code + 1);

                var fits = true;
                foreach (var (code, _) in children)
                {
                    if (Check[b + code] != Free)
                    {
                        fits = false;
                        break;
                    }
                }

                if (fits)
                {
                    return (b, searchFrom);
                }
            }
        }

        // The first free slot at or after this one (Check.Length when there is none yet).
        private int NextFree(int slot)
        {
            var free = slot;
            while (free < _nextFree.Length && _nextFree[free] != free)
            {
                free = _nextFree[free];
            }

            while (slot < free)
            {
                var next = _nextFree[slot];
                _nextFree[slot] = free;
                slot = next;
            }

            return free;
        }

        public int UsedLength()
        {
            var last = Check.Length - 1;
            while (last > 0 && Check[last] == Free)
            {
                last--;
            }

            return last + 1;
        }

        private void Grow(int needed)
        {
            if (needed <= Check.Length)
            {
                return;
            }

            var size = Math.Max(needed, Check.Length * 2);
            var oldLength = Check.Length;
            Array.Resize(ref Base, size);
            Array.Resize(ref Check, size);
            Array.Fill(Check, Free, oldLength, size - oldLength);
            Array.Resize(ref _nextFree, size);
            for (var slot = oldLength; slot < size; slot++)
            {
                _nextFree[slot] = slot;
            }
        }
    }

    /// <summary>A plain trie, built from sorted patterns, children in code order.</summary>
    private sealed class Trie
    {
        /// <summary>
        /// The letters below <paramref name="node"/> when they are a single chain with no output before a leaf
        /// (the leaf's outputs are the chain's), or null.
        /// </summary>
        public (char[] Letters, int Leaf)? Tail(int node, char[] alphabet)
        {
            var letters = new List<char>();
            var at = node;
            while (Children[at] is [var (code, child)] && letters.Count < ushort.MaxValue)
            {
                letters.Add(alphabet[code - 1]);
                at = child;
                if (Children[at] is null)
                {
                    return ([.. letters], at);
                }

                if (Outputs[at] is not null)
                {
                    return null;
                }
            }

            return null;
        }

        public List<List<(ushort Code, int Child)>?> Children { get; } = [null];
        public List<List<int>?> Outputs { get; } = [null];
        public int Count => Children.Count;

        public static Trie Of(IReadOnlyList<Pattern> patterns, ushort[] codes)
        {
            var trie = new Trie();
            for (var p = 0; p < patterns.Count; p++)
            {
                var node = 0;
                foreach (var symbol in patterns[p].Skeleton)
                {
                    node = trie.ChildOf(node, codes[symbol]);
                }

                (trie.Outputs[node] ??= []).Add(p);
            }

            return trie;
        }

        private int ChildOf(int node, ushort code)
        {
            var children = Children[node] ??= [];
            foreach (var (c, child) in children)
            {
                if (c == code)
                {
                    return child;
                }
            }

            Children.Add(null);
            Outputs.Add(null);
            var index = Children.Count - 1;
            // Patterns are sorted by skeleton, but codes follow the alphabet's order, which is the same.
            children.Add((code, index));
            children.Sort((a, b) => a.Code.CompareTo(b.Code));
            return index;
        }
    }
}
