/// The fields child resources resolve from, kept from each of the parent's records; the rows
/// not yet in a checkpoint are saved with the next one, so a resumed run still has them all.
struct ParentKeys {
    /// Field names with their parsed paths; empty when no child resolves from this resource.
    let fields: [(name: String, path: JSONPath)]
    private(set) var rows: [[String: Value]]
    /// Rows taken since the last checkpoint.
    private var unsaved = 0

    init(fields: [String], resumed: [[String: Value]] = []) {
        self.fields = fields.map { ($0, JSONPath($0)) }
        rows = resumed
    }

    /// Keeps the record's fields (an object record only).
    mutating func take(_ record: JSONValue) {
        guard !fields.isEmpty, record.kind == .object else { return }
        var row: [String: Value] = [:]
        for field in fields {
            // A null stays null (not the text "null"), so that no child request is made for it.
            if let v = field.path.evaluate(record) {
                row[field.name] = v.kind == .null ? .null : RecordNormalizer.scalar(v).1
            }
        }
        rows.append(row)
        unsaved += 1
    }

    /// The rows taken since the last call, for the checkpoint being written.
    mutating func takeUnsaved() -> [[String: Value]] {
        defer { unsaved = 0 }
        return Array(rows.suffix(unsaved))
    }
}
