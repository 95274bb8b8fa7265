/// Moves a timestamp cursor back by a lookback, keeping its format.
enum CursorShift {
    static func back(_ value: String, spec: IncrementalSpec) -> String? {
        guard let t = spec.instant(value) else { return nil }
        let shifted = CursorInstant(seconds: t.seconds - Int(spec.lookbackSeconds))
        return (spec.cursorFormat ?? .iso8601).render(shifted)
    }
}
