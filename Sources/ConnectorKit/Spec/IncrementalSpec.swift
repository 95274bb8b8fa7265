import CivilTime

/// Ask only for records newer than the last run's cursor.
public struct IncrementalSpec: Sendable {
    public var cursorPath: String
    public var startParam: String?
    public var endParam: String?
    public var initialValue: ConfigString?
    /// Seconds subtracted from a timestamp cursor before asking (late-arriving updates).
    public var lookbackSeconds: Double
}

extension IncrementalSpec {
    /// The keys of an endpoint's `incremental`.
    static let keys = ["cursor_path", "start_param", "end_param", "initial_value", "lookback"]

    static func read(_ reader: MappingReader) throws(SpecError) -> IncrementalSpec {
        var r = reader
        let spec = IncrementalSpec(
            cursorPath: try r.requiredString("cursor_path").value,
            startParam: try r.string("start_param")?.value,
            endParam: try r.string("end_param")?.value,
            initialValue: try r.string("initial_value").map(checkedDate),
            lookbackSeconds: try r.duration("lookback") ?? 0)
        try r.finish()
        return spec
    }

    /// A value that looks like a date (`YYYY-…`) must be a real one; other cursors (ids, numbers) pass.
    private static func checkedDate(_ value: ConfigString) throws(SpecError) -> ConfigString {
        guard value.isSet, Timestamps.looksLikeDate(value.value), Timestamps.parse(value.value) == nil else {
            return value
        }
        throw SpecError.badDate(value, "'initial_value'")
    }
}

extension SpecError {
    /// A date or timestamp of the spec that does not name a real instant.
    static func badDate(_ value: ConfigString, _ what: String, orElse alternative: String = "") -> SpecError {
        SpecError(
            "\(what) must be an ISO 8601 date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ) with a real month, day "
                + "and time\(alternative), found '\(value.value)'", at: value.location)
    }
}
