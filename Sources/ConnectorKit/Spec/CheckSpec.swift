/// A data check of a resource (`checks:`): run on the rows a load staged, before they are
/// published. A failed `fail` check fails the resource, so its data is not published; a failed
/// `warn` check is reported and the data is published.
public struct CheckSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The load staged at least one root row.
        case notEmpty = "not_empty"
        /// Root rows staged equal the total the API reports (summed over work items).
        case rowCountMatches = "row_count_matches"
        /// Root rows staged differ from the previous load's by at most `percent`.
        case maxChange = "max_change"
        /// No primary key is staged twice.
        case unique
        /// The named columns are never null in the staged root rows.
        case notNull = "not_null"
        /// The incremental cursor reached is at most `max_age` old.
        case freshness

        /// The keys this check accepts besides `severity`.
        var parameterKeys: [String] {
            switch self {
            case .notEmpty, .unique: return []
            case .rowCountMatches: return ["total_path"]
            case .maxChange: return ["percent"]
            case .notNull: return ["columns"]
            case .freshness: return ["max_age"]
            }
        }
    }

    public enum Severity: String, Sendable, CaseIterable { case warn, fail }

    public var kind: Kind
    public var severity: Severity
    /// `row_count_matches`: where the total sits in a page's JSON (e.g. `pagination.matched`).
    public var totalPath: String?
    /// `max_change`: the largest swing allowed, in percent.
    public var percent: Double?
    /// `not_null`: normalized column names.
    public var columns: [String] = []
    /// `freshness`: the oldest the cursor may be, in seconds.
    public var maxAgeSeconds: Double?
}

extension CheckSpec {
    /// The keys of `checks` (one per kind).
    static let keys = Kind.allCases.map(\.rawValue)
    /// Every key a check may hold (each kind accepts `severity` and its own).
    static let checkKeys = ["severity"] + Kind.allCases.flatMap(\.parameterKeys)

    /// Reads `checks:` of `context` (a mapping of kind → settings).
    /// `freshness` needs an incremental cursor (`incremental`).
    static func read(_ reader: MappingReader, of context: String, incremental: Bool) throws(SpecError)
        -> [CheckSpec]
    {
        var r = reader
        var out: [CheckSpec] = []
        for kind in Kind.allCases {
            guard var c = try r.mapping(kind.rawValue, keys: ["severity"] + kind.parameterKeys) else { continue }
            var check = CheckSpec(kind: kind, severity: try c.choice("severity", Severity.self) ?? .fail)
            switch kind {
            case .notEmpty, .unique: break
            case .rowCountMatches: check.totalPath = try c.requiredString("total_path").value
            case .maxChange: check.percent = try required(c.double("percent"), "percent", kind, c, context)
            case .notNull:
                check.columns = try c.stringList("columns")?.map { NameNormalizer.normalize($0.value) } ?? []
                if check.columns.isEmpty { _ = try required(nil as Double?, "columns", kind, c, context) }
            case .freshness:
                guard incremental else {
                    throw SpecError(
                        "check 'freshness' of \(context) needs an incremental cursor (endpoint.incremental)",
                        at: c.location)
                }
                check.maxAgeSeconds = try required(c.duration("max_age"), "max_age", kind, c, context)
            }
            try c.finish()
            out.append(check)
        }
        try r.finish()
        return out
    }

    private static func required<T>(
        _ value: T?, _ key: String, _ kind: Kind, _ reader: MappingReader, _ context: String
    ) throws(SpecError) -> T {
        guard let value else {
            throw SpecError("check '\(kind.rawValue)' of \(context) needs '\(key)'", at: reader.location)
        }
        return value
    }
}
