import CivilTime

/// A resource runs once per value of each partition (their product, when several).
public struct PartitionSpec: Sendable {
    public var name: String
    public var kind: Kind
    public var location: SpecLocation

    public enum Kind: Sendable {
        case list(values: [String], unsetVariables: [String])
        case fiscalQuarters(current: Bool, previous: Int, fiscalYearStartMonth: Int)
        case timeWindows(start: String, end: String?, interval: WindowInterval, bounds: WindowBounds = WindowBounds())
    }

    public enum KindName: String, Sendable, CaseIterable { case list, fiscal_quarters, time_windows }
    public enum WindowInterval: String, Sendable, CaseIterable { case day, week, month, quarter, year }
}

/// How an API reads the two time parameters a window is sent as, so that windows which meet
/// (each one's start is the previous one's end) cover every instant exactly once. A window
/// is `[start, end)`; `{<name>.start}` and `{<name>.end}` are rendered as the values that ask
/// for exactly that under the declared reading: a strict start (`time > X`) is sent one
/// `precision` early, an inclusive end (`time <= X`) one `precision` early.
public struct WindowBounds: Sendable, Hashable {
    public enum Bound: String, Sendable, CaseIterable { case inclusive, exclusive }

    public var start: Bound
    public var end: Bound
    /// The smallest step between two record times the API tells apart, in milliseconds.
    public var precisionMillis: Int

    public init(start: Bound = .inclusive, end: Bound = .exclusive, precisionMillis: Int = 1000) {
        self.start = start
        self.end = end
        self.precisionMillis = precisionMillis
    }
}

extension PartitionSpec {
    /// The key every partition takes; the others depend on its type (`keys(for:)`).
    static let keys = ["type"]

    /// The keys of a partition of one type, after `type`.
    static func keys(for kind: KindName) -> [String] {
        switch kind {
        case .list: return ["values"]
        case .fiscal_quarters: return ["current", "previous", "fiscal_year_start_month"]
        case .time_windows: return ["start", "end", "interval", "start_bound", "end_bound", "precision"]
        }
    }

    /// Reads one entry of an endpoint's `partitions`.
    static func read(_ node: YAMLNode, name: String, interpolator: Interpolator) throws(SpecError) -> PartitionSpec {
        var r = try MappingReader(node, context: "partition '\(name)'", keys: keys, interpolator: interpolator)
        guard let kind = try r.choice("type", KindName.self) else {
            let choices = KindName.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError("partition '\(name)' needs 'type' (one of: \(choices))", at: r.location)
        }
        r.accept(keys(for: kind))
        let spec: Kind
        switch kind {
        case .list:
            guard let valuesNode = r.take("values") else {
                throw SpecError("partition '\(name)' needs 'values'", at: r.location)
            }
            var unset: [String] = []
            if case .scalar(let s, _, let loc) = valuesNode {
                unset = try interpolator.expand(s, at: loc).missingVariables
            }
            let values = try r.stringList(valuesNode, "'values' of partition '\(name)'").map(\.value)
            spec = .list(values: values, unsetVariables: unset)
        case .fiscal_quarters:
            spec = .fiscalQuarters(
                current: try r.bool("current") ?? true,
                previous: try r.int("previous", range: 0...40) ?? 0,
                fiscalYearStartMonth: try r.int("fiscal_year_start_month", range: 1...12) ?? 1)
        case .time_windows:
            spec = try timeWindows(&r, partition: name)
        }
        try r.finish()
        return PartitionSpec(name: name, kind: spec, location: node.location)
    }

    private static func timeWindows(_ r: inout MappingReader, partition name: String) throws(SpecError) -> Kind {
        let start = try r.requiredString("start")
        guard Timestamps.parse(start.value) != nil else {
            throw SpecError.badDate(start, "'start' of partition '\(name)'")
        }
        let end = try r.string("end")
        if let end, end.value != "now", Timestamps.parse(end.value) == nil {
            throw SpecError.badDate(end, "'end' of partition '\(name)'", orElse: " or 'now'")
        }
        return .timeWindows(
            start: start.value, end: end?.value == "now" ? nil : end?.value,
            interval: try r.choice("interval", WindowInterval.self) ?? .month,
            bounds: try windowBounds(&r, partition: name))
    }

    /// `start_bound`, `end_bound` and `precision` of a `time_windows` partition.
    private static func windowBounds(_ r: inout MappingReader, partition name: String) throws(SpecError) -> WindowBounds
    {
        var bounds = WindowBounds()
        bounds.start = try r.choice("start_bound", WindowBounds.Bound.self) ?? bounds.start
        bounds.end = try r.choice("end_bound", WindowBounds.Bound.self) ?? bounds.end
        let precisionLocation = r.keyLocation("precision")
        if let seconds = try r.duration("precision") {
            let millis = (seconds * 1000).rounded()
            guard millis >= 1, millis <= 86_400_000, abs(millis - seconds * 1000) < 1e-6 else {
                throw SpecError(
                    "'precision' of partition '\(name)' must be a whole number of milliseconds between 1ms "
                        + "and 1d (like 1s or 1ms)", at: precisionLocation)
            }
            bounds.precisionMillis = Int(millis)
        }
        return bounds
    }
}
