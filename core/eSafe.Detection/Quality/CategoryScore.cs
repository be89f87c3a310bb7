namespace eSafe.Detection.Quality;

/// <summary>
/// How one category (or all of them, as "overall") fares. <see cref="Positives"/> are the sentences labelled with
/// it, <see cref="Found"/> those of them with any hit, <see cref="Named"/> those whose incident names it (the hit
/// of highest severity, as the device pipeline picks it); <see cref="Predicted"/> all sentences whose incident
/// names it, <see cref="PredictedRight"/> those labelled with it.
/// </summary>
public sealed record CategoryScore(string Category, int Positives, int Found, int Named, int Predicted, int PredictedRight)
{
    /// <summary>Found / positives: how many of its sentences make an incident at all.</summary>
    public double Recall => Ratio(Found, Positives);

    /// <summary>Named / found: of the sentences found, how many are named as their category.</summary>
    public double CategoryAccuracy => Ratio(Named, Found);

    /// <summary>PredictedRight / predicted: of the incidents naming this category, how many are right.</summary>
    public double Precision => Ratio(PredictedRight, Predicted);

    private static double Ratio(int part, int whole) => whole == 0 ? 1.0 : (double)part / whole;
}
