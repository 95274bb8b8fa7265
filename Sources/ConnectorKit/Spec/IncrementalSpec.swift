import CivilTime

/// Ask only for records newer than the last run's cursor (and, with `end_value`, older than a
/// bound: a backfill of one range that never moves the saved cursor past it).
public struct IncrementalSpec: Sendable {
    public var cursorPath: String
    public var startParam: String?
    public var endParam: String?
    public var initialValue: ConfigString?
    /// Records whose cursor is at or past this value are not loaded (dlt's open range end).
    public var endValue: ConfigString?
    /// Seconds subtracted from a timestamp cursor before asking (late-arriving updates).
    public var lookbackSeconds: Double
    /// How records carry the cursor; nil: as they come (ISO 8601 timestamps compare by instant).
    public var cursorFormat: CursorFormat? = nil
    /// How the API wants the start and end values; nil: as the records carry them.
    public var requestFormat: CursorFormat? = nil
    /// What a record without a cursor value does.
    public var onCursorValueMissing: CursorValueMissing = .raise
}

/// What happens to a record of an incremental resource that has no value at `cursor_path`.
public enum CursorValueMissing: String, Sendable, CaseIterable {
    /// The resource fails, naming the path (dlt's default).
    case raise
    /// The record loads; it does not move the cursor.
    case include
    /// The record is left out, and counted in the run report.
    case exclude
}

extension IncrementalSpec {
    /// The keys of an endpoint's `incremental`.
    static let keys = [
        "cursor_path", "start_param", "end_param", "initial_value", "end_value", "lookback", "cursor_format",
        "request_format", "on_cursor_value_missing",
    ]

    static func read(_ reader: MappingReader) throws(SpecError) -> IncrementalSpec {
        var r = reader
        let cursorFormat = try r.string("cursor_format").map { f throws(SpecError) in
            try CursorFormat.read(f, key: "cursor_format")
        }
        let requestFormat = try r.string("request_format").map { f throws(SpecError) in
            try CursorFormat.read(f, key: "request_format")
        }
        let check = { (v: ConfigString, key: String) throws(SpecError) in try checked(v, key, format: cursorFormat) }
        var spec = IncrementalSpec(
            cursorPath: try r.requiredString("cursor_path").value,
            startParam: try r.string("start_param")?.value,
            endParam: try r.string("end_param")?.value,
            initialValue: try r.string("initial_value").map { v throws(SpecError) in try check(v, "initial_value") },
            endValue: try r.string("end_value").map { v throws(SpecError) in try check(v, "end_value") },
            lookbackSeconds: try r.duration("lookback") ?? 0)
        spec.cursorFormat = cursorFormat
        spec.requestFormat = requestFormat
        spec.onCursorValueMissing = try r.choice("on_cursor_value_missing", CursorValueMissing.self) ?? .raise
        try r.finish()
        try spec.checkRange()
        return spec
    }

    /// The instant a cursor value names: in `cursor_format` when declared, else as ISO 8601.
    public func instant(_ value: String) -> CursorInstant? {
        cursorFormat.map { $0.parse(value) } ?? CursorFormat.parseISO(value)
    }

    /// A cursor value (as records carry it) written as the API wants it in a request; an end
    /// bound is rounded up so that a coarser request format still asks for every record before it.
    public func requestValue(_ value: String, isEnd: Bool = false) -> String? {
        guard let requestFormat else { return value }
        guard let at = instant(value) else { return nil }
        return isEnd ? requestFormat.renderCeiling(at) : requestFormat.render(at)
    }

    /// `end_value` must come after `initial_value` when both name instants.
    private func checkRange() throws(SpecError) {
        guard let end = endValue, let start = initialValue, end.isSet, start.isSet,
            let e = instant(end.value), let s = instant(start.value), e <= s
        else { return }
        throw SpecError(
            "incremental end_value '\(end.value)' must come after initial_value '\(start.value)'", at: end.location)
    }

    /// A value in a declared `cursor_format` must be written in it; otherwise a value that
    /// looks like a date (`YYYY-…`) must be a real one, and other cursors (ids, numbers) pass.
    private static func checked(_ value: ConfigString, _ key: String, format: CursorFormat?) throws(SpecError)
        -> ConfigString
    {
        guard value.isSet else { return value }
        if let format {
            guard format.parse(value.value) == nil else { return value }
            throw SpecError(
                "'\(key)' '\(value.value)' is not written in the cursor_format of this incremental", at: value.location)
        }
        guard Timestamps.looksLikeDate(value.value), Timestamps.parse(value.value) == nil else { return value }
        throw SpecError.badDate(value, "'\(key)'")
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
