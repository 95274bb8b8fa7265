/// Keeps a bounded history: the last `keepLast` distinct values of a column (e.g. the last 8
/// fiscal quarters), and/or only rows whose timestamp column is younger than `maxAgeSeconds`.
public struct RetentionRule: Sendable {
    /// Normalized column name.
    public var column: String
    public var keepLast: Int?
    public var maxAgeSeconds: Double?

    public init(column: String, keepLast: Int?, maxAgeSeconds: Double?) {
        self.column = column
        self.keepLast = keepLast
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// One table of a resource that loads several from each response (`tables`).
public struct TableSelector: Sendable {
    public var name: String
    public var dataSelector: String
    public var primaryKey: [String]
}

extension TableSelector {
    /// The keys of one entry of a resource's `tables`.
    static let keys = ["data_selector", "primary_key"]

    /// `tables: {name: {data_selector, primary_key}}`; a table without a key takes the resource's.
    static func read(_ t: MappingReader, of context: String, primaryKey: [String], merges: Bool)
        throws(SpecError) -> [TableSelector]
    {
        var tables: [TableSelector] = []
        for e in t.entries {
            var tr = try t.reader(e.value, context: "table '\(e.key)' of \(context)", keys: keys)
            let selector = try tr.requiredString("data_selector").value
            let pk = try tr.stringList("primary_key")?.map(\.value) ?? primaryKey
            try tr.finish()
            guard ResourceSpec.isIdentifier(e.key) else {
                throw SpecError("table name '\(e.key)' must use letters, digits and _", at: e.keyLocation)
            }
            if merges && pk.isEmpty {
                throw SpecError("table '\(e.key)' of \(context) merges but has no 'primary_key'", at: e.keyLocation)
            }
            tables.append(TableSelector(name: e.key, dataSelector: selector, primaryKey: pk))
        }
        return tables
    }
}

extension RetentionRule {
    /// The keys of a resource's `retention`.
    static let keys = ["column", "keep_last", "max_age"]

    static func read(_ reader: MappingReader, of context: String) throws(SpecError) -> RetentionRule {
        var rr = reader
        let column = try rr.requiredString("column").value
        let keepLast = try rr.int("keep_last", range: 1...1_000_000)
        let maxAge = try rr.duration("max_age")
        try rr.finish()
        guard keepLast != nil || maxAge != nil else {
            throw SpecError(
                "retention of \(context) needs 'keep_last' (distinct values of the column) or 'max_age' "
                    + "(like 400d)", at: rr.location)
        }
        return RetentionRule(column: NameNormalizer.normalize(column), keepLast: keepLast, maxAgeSeconds: maxAge)
    }
}
