/// Rows of one table under construction. Columns are added as new fields appear; a value
/// whose type does not fit its column goes to a variant column (`amount__v_text`) so that
/// nothing is dropped and nothing fails.
final class TableBuilder {
    private(set) var schema: TableSchema
    private var columnByPath: [String: Int] = [:]
    private var columnByName: [String: Int] = [:]
    var rows: [[Value]] = []
    private(set) var totalRows = 0
    /// Child tables by the raw path of the list field they hold.
    var children: [String: TableBuilder] = [:]
    /// Human-readable schema changes since the last `takeChanges()`.
    private var changes: [String] = []

    init(schema: TableSchema, systemColumns: [(String, DataType)]) {
        self.schema = schema
        self.schema.columns = []
        for (name, type) in systemColumns { _ = addColumn(path: "\u{0}" + name, name: name, type: type) }
        changes.removeAll()
    }

    var name: String { schema.name }

    func systemIndex(_ name: String) -> Int? { columnByPath["\u{0}" + name] }
    func columnIndex(named name: String) -> Int? { columnByName[name] }

    /// The column for a field path holding a value of `type`, creating it (or its variant) if needed.
    func slot(path: String, type: DataType) -> (index: Int, type: DataType) {
        if let i = columnByPath[path] {
            let column = schema.columns[i]
            if column.type.accepts(type) { return (i, column.type) }
            let variantPath = path + "\u{0}" + type.rawValue
            if let v = columnByPath[variantPath] { return (v, type) }
            let v = addColumn(path: variantPath, name: column.name + "__v_" + type.rawValue, type: type)
            changes.append("variant column \(schema.name).\(schema.columns[v].name) (\(type.rawValue)) for values that do not fit \(column.type.rawValue)")
            return (v, type)
        }
        let name = path.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            .map { NameNormalizer.normalize(String($0)) }.joined(separator: "__")
        let i = addColumn(path: path, name: name, type: type)
        if totalRows > 0 || !rows.isEmpty { changes.append("new column \(schema.name).\(schema.columns[i].name) (\(type.rawValue))") }
        return (i, type)
    }

    /// A column that is not from the record (partition values, parent fields).
    func extraSlot(name: String, type: DataType) -> (index: Int, type: DataType) {
        slot(path: "\u{0}extra:" + name, type: type, displayName: name)
    }

    private func slot(path: String, type: DataType, displayName: String) -> (index: Int, type: DataType) {
        if let i = columnByPath[path] {
            if schema.columns[i].type.accepts(type) { return (i, schema.columns[i].type) }
            return slot(path: path, type: type)
        }
        return (addColumn(path: path, name: NameNormalizer.normalize(displayName), type: type), type)
    }

    private func addColumn(path: String, name: String, type: DataType) -> Int {
        var unique = name
        var n = 2
        while columnByName[unique] != nil { unique = "\(name)_\(n)"; n += 1 }
        if unique != name { changes.append("column \(schema.name).\(unique) renamed from \(name): another field has that name after normalization") }
        let index = schema.columns.count
        schema.columns.append(Column(name: unique, type: type))
        columnByPath[path] = index
        columnByName[unique] = index
        return index
    }

    func append(_ row: [Value]) {
        rows.append(row)
        totalRows += 1
    }

    /// Buffered rows of this table, leaving it empty.
    func takeBatch() -> RowBatch? {
        guard !rows.isEmpty else { return nil }
        defer { rows.removeAll(keepingCapacity: true) }
        return RowBatch(table: schema, rows: rows)
    }

    func takeChanges() -> [String] {
        defer { changes.removeAll() }
        return changes
    }
}

extension Array where Element == Value {
    @inline(__always) mutating func set(_ index: Int, _ value: Value) {
        if index >= count { append(contentsOf: repeatElement(.null, count: index - count + 1)) }
        self[index] = value
    }
}
