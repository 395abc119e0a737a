namespace VodConsole.Bench;

/// <summary>
/// A few thousand words with Zipf-like frequencies: the first are real words a video library uses, the rest made-up
/// words, so a common word matches thousands of an application's media and a rare one a few dozen. Deterministic, so the
/// measuring run finds the same words as the run that generated the data.
/// </summary>
internal sealed class Vocabulary
{
    public const int Size = 3000;

    private static readonly string[] Common =
    """
    video live show news music concert interview review tutorial guide episode season trailer highlights match game
    football basketball tennis cooking recipe travel city mountain beach summer winter night morning studio session
    behind scenes official teaser premiere documentary history science nature animals wildlife ocean forest space
    launch product demo unboxing setup install update release keynote conference talk panel lecture course lesson
    chapter part final special edition remastered acoustic remix cover dance festival stage tour backstage podcast
    weekly daily recap analysis breakdown explained beginner advanced tips tricks workshop webinar training company
    team meeting annual report launch event charity kids family school campus student teacher class science math
    english spanish french german chinese japanese korean drama comedy action thriller horror romance animation short
    film movie series pilot bonus extra clip camera drone aerial timelapse slowmotion sunset sunrise rain snow storm
    road trip train flight airport hotel food street market garden home kitchen fitness yoga running cycling swimming
    skiing climbing hiking camping fishing car race motor engine electric battery phone laptop software coding design
    art painting drawing photo gallery museum theatre opera orchestra piano guitar drums violin choir jazz rock pop
    classical folk blues hiphop country metal indie voice vlog story portrait wedding birthday holiday christmas
    """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "ta", "vo", "sel", "dra", "pin", "qua", "bel", "tor", "nix", "fa", "gul", "han", "ju",
        "kre", "lim", "mon", "nor", "pas", "ri", "sto", "tem", "ul", "vin", "wes", "yar", "zo", "bra", "cel", "dun",
        "el", "fro", "gar", "hel", "ist", "jor", "kel", "lan", "mar", "nes", "or", "pel", "ros", "sun", "tal", "ver",
    ];

    private readonly string[] words;
    private readonly double[] cumulative;

    public Vocabulary()
    {
        var random = new Random(4);
        var list = new List<string>(Common);
        var seen = new HashSet<string>(list);
        while (list.Count < Size)
        {
            var word = string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Syllables[random.Next(Syllables.Length)]));
            if (word.Length >= 4 && seen.Add(word))
            {
                list.Add(word);
            }
        }
        words = [.. list];
        cumulative = new double[Size];
        var sum = 0.0;
        for (var i = 0; i < Size; i++)
        {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }
        for (var i = 0; i < Size; i++)
        {
            cumulative[i] /= sum;
        }
    }

    /// <summary>The word of this frequency rank (0 = most common).</summary>
    public string this[int rank] => words[rank];

    public string Next(Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return words[Math.Min(index < 0 ? ~index : index, Size - 1)];
    }

    public string Sentence(Random random, int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => Next(random)));
}
