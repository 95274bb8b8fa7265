/// What `columns:` says about a root-table column beyond its type: that every record must have
/// it (`nullable: false`), and the exact decimal it must fit (`precision` digits, `scale` of
/// them after the point). A record that breaks a hint fails the resource, loudly: nothing is
/// loaded without its required column or rounded to fit.
public struct ColumnHint: Sendable, Equatable {
    public var nullable = true
    public var precision: Int?
    public var scale: Int?
}

extension ResourceSpec {
    /// The keys of one entry of a resource's `columns`.
    static let columnKeys = ["data_type", "nullable", "precision", "scale"]

    /// `columns: {id: {data_type: decimal}, amount: {data_type: decimal, precision: 12, scale: 2},
    /// key: {nullable: false}}`: column name → declared type, and the hints beyond it.
    static func readColumns(_ reader: MappingReader) throws(SpecError) -> (
        types: [String: DataType], hints: [String: ColumnHint]
    ) {
        var (types, hints): ([String: DataType], [String: ColumnHint]) = ([:], [:])
        for entry in reader.entries {
            var c = try reader.reader(
                entry.value, context: "column '\(entry.key)' in \(reader.context)", keys: columnKeys)
            let type = try c.choice("data_type", DataType.self)
            var hint = ColumnHint()
            hint.nullable = try c.bool("nullable") ?? true
            hint.precision = try c.int("precision", range: 1...1000)
            hint.scale = try c.int("scale", range: 0...1000)
            try c.finish()
            let name = NameNormalizer.normalize(entry.key)
            if hint.precision != nil || hint.scale != nil {
                guard type == .decimal, let precision = hint.precision, (hint.scale ?? 0) <= precision else {
                    throw SpecError(
                        "column '\(entry.key)': precision and scale need data_type: decimal and a precision at "
                            + "least the scale, like {data_type: decimal, precision: 12, scale: 2}", at: c.location)
                }
            }
            guard type != nil || hint != ColumnHint() else {
                let choices = DataType.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError(
                    "column '\(entry.key)' needs 'data_type' (one of: \(choices)) or 'nullable: false'", at: c.location)
            }
            if let type { types[name] = type }
            if hint != ColumnHint() { hints[name] = hint }
        }
        return (types, hints)
    }
}
