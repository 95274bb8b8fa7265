/// Durations as people write them in sources.yaml and on the command line: `5`, `5s`, `250ms`,
/// `10m`, `1h`, `1d` (a bare number is seconds). One reading for every place that takes one.
public enum DurationText {
    /// The seconds `text` stands for; nil when it is not a duration (or negative).
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingSpaces
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let v = Double(text.dropLast(suffix.count)), v >= 0 { return v * factor }
        }
        if let v = Double(text), v >= 0 { return v }
        return nil
    }
}
