import CivilTime

/// Moves a timestamp cursor back by a lookback, keeping its format.
enum CursorShift {
    static func back(_ value: String, seconds: Double) -> String? {
        guard let t = Timestamps.parse(value) else { return nil }
        return Timestamps.iso(t - Int(seconds))
    }
}
