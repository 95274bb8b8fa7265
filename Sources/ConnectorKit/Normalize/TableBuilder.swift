/// Rows of one table under construction. Columns start as the destination has them (so a
/// type decided in an earlier run holds), then grow as new fields appear; a value whose type
/// does not fit its column goes to a variant column (`amount__v_text`) so that nothing is
/// dropped and nothing fails — unless a schema contract says otherwise.
final class TableBuilder {
    private(set) var schema: TableSchema
    private var columnByPath: [String: Int] = [:]
    private var columnByName: [String: Int] = [:]
    /// Destination columns not yet matched to a field of this run: name → type.
    private var known: [String: DataType]
    /// Types the spec declares (`columns:`), by column name: they replace inference for new columns.
    private let declared: [String: DataType]
    /// Whether the destination already has this table.
    let existed: Bool
    let contract: SchemaContract
    /// Rows buffered since the last `takeBatch()`. Written once per text cell; release builds check
    /// its exclusivity statically only, as for every property of the engine (Package.swift).
    var buffered: RowBatch
    /// The value `sharedCell` last kept in `buffered`'s arena, and its cell.
    var shared: (value: Value, cell: Cell)?
    /// An emptied row `newRow()` hands out again, so that a row costs no allocation of its own.
    var spareRow: [Cell] = []
    var totalRows = 0
    /// Child tables by the raw path of the list field they hold.
    var children: [String: TableBuilder] = [:]
    /// The record fields seen so far, by raw key (a cache in front of `slot`).
    let fields = FieldNode.root()
    /// The `value` column of scalar records and scalar list elements.
    private(set) lazy var valueField = fields.child("value")
    /// Human-readable schema changes since the last `takeChanges()`.
    private var changes: [String] = []
    /// Set when a contract refuses a column; read and cleared per record.
    var violation: String?
    var discardRow = false

    /// Where the bookkeeping columns are (fixed when the table is created).
    struct SystemSlots {
        var loadId, id, parentId, listIndex, rootId: Int?
    }
    private(set) var system = SystemSlots()
    private var cachedKeyIndexes: [Int]?
    /// A root table's row ids start alike (`RecordNormalizer.idPrefix`): hashed once.
    var idPrefix: StableID.Hasher?
    /// Slots of extra columns by name and type: a record's few extras, found by a short scan.
    private var extraCache: [(name: String, type: DataType, slot: (index: Int, type: DataType))] = []

    init(
        schema: TableSchema, systemColumns: [(String, DataType)], existing: [Column]?, contract: SchemaContract,
        declared: [String: DataType] = [:]
    ) {
        self.schema = schema
        self.schema.columns = []
        buffered = RowBatch(table: self.schema)  // no columns yet: `takeBatch` gives it those added
        existed = existing != nil
        self.contract = contract
        self.declared = declared
        known = Dictionary((existing ?? []).map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        for (name, type) in systemColumns { _ = addColumn(path: "\u{0}" + name, name: name, type: type) }
        system = SystemSlots(
            loadId: systemIndex(SystemColumn.loadId), id: systemIndex(SystemColumn.id),
            parentId: systemIndex(SystemColumn.parentId), listIndex: systemIndex(SystemColumn.listIndex),
            rootId: systemIndex(SystemColumn.rootId))
        if !existed { changes.append("new table \(schema.name)") }
    }

    /// Columns of the primary key, once they all exist (they never move after that).
    func primaryKeyIndexes() -> [Int]? {
        if let cachedKeyIndexes { return cachedKeyIndexes }
        var indexes: [Int] = []
        for key in schema.primaryKey {
            guard let i = columnByName[key] else { return nil }
            indexes.append(i)
        }
        cachedKeyIndexes = indexes
        return indexes
    }

    var name: String { schema.name }

    func systemIndex(_ name: String) -> Int? { columnByPath["\u{0}" + name] }
    func columnIndex(named name: String) -> Int? { columnByName[name] }

    /// The column for a field path holding a value of `type`, creating it (or its variant) if
    /// needed; nil when the schema contract drops the value.
    func slot(path: String, type: DataType) -> (index: Int, type: DataType)? {
        if let i = columnByPath[path] {
            let column = schema.columns[i]
            if column.type.accepts(type) || takesAnyScalar(column) { return (i, column.type) }
            let variantPath = path + "\u{0}" + type.rawValue
            if let v = columnByPath[variantPath] { return (v, type) }
            guard
                let v = newColumn(
                    path: variantPath, name: column.name + "__v_" + type.rawValue, type: type,
                    why: "variant column", detail: "for values that do not fit \(column.type.rawValue)")
            else { return nil }
            return (v, schema.columns[v].type)
        }
        let name = path.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            .map { NameNormalizer.normalize(String($0)) }.joined(separator: "__")
        guard let i = newColumn(path: path, name: name, type: type, why: "new column", detail: "") else { return nil }
        if schema.columns[i].type.accepts(type) { return (i, schema.columns[i].type) }
        return slot(path: path, type: type)
    }

    /// A column declared `text` holds every value as its text (ids that are sometimes numbers).
    private func takesAnyScalar(_ column: Column) -> Bool {
        column.type == .text && declared[column.name] == .text
    }

    /// Why a record has no value for primary-key column `key`, and what to do about it.
    func missingKeyMessage(_ key: String, row: [Cell]) -> String {
        let fields = schema.columns.map(\.name).filter { !$0.hasPrefix("_connector") }
        if let i = columnByName[key],
            let variant = fields.first(where: { name in
                name.hasPrefix(key + "__v_") && columnByName[name].map { $0 < row.count && !row[$0].isNull } == true
            })
        {
            return "a record's primary key '\(key)' does not fit its \(schema.columns[i].type.rawValue) column "
                + "(it went to \(variant)); declare the key's type in the resource, "
                + "e.g. columns: {\(key): {data_type: decimal}} (or text)"
        }
        return "a record has no value for primary key '\(key)'; fields seen: \(fields.joined(separator: ", "))"
    }

    /// A column that is not from the record (partition values, parent fields).
    func extraSlot(name: String, type: DataType) -> (index: Int, type: DataType)? {
        for cached in extraCache where cached.type == type && cached.name == name { return cached.slot }
        guard let slot = newExtraSlot(name: name, type: type) else { return nil }
        extraCache.removeAll { $0.name == name }
        extraCache.append((name, type, slot))
        return slot
    }

    private func newExtraSlot(name: String, type: DataType) -> (index: Int, type: DataType)? {
        let path = "\u{0}extra:" + name
        if columnByPath[path] == nil, name == SystemColumn.unit {
            // Bookkeeping, not data (`ResourceRunner+Units`): no schema contract refuses it.
            known[name] = nil
            _ = addColumn(path: path, name: name, type: type)
        } else if columnByPath[path] == nil {
            guard
                newColumn(path: path, name: NameNormalizer.normalize(name), type: type, why: "new column", detail: "")
                    != nil
            else { return nil }
        }
        return slot(path: path, type: type)
    }

    /// Adopts the destination's column of that name, or adds one if the contract allows.
    private func newColumn(path: String, name: String, type: DataType, why: String, detail: String) -> Int? {
        if let knownType = known[name], columnByName[name] == nil {
            known[name] = nil
            return addColumn(path: path, name: name, type: knownType)
        }
        if existed {
            switch contract {
            case .evolve: break
            case .freeze:
                violation =
                    "schema_contract freeze: \(why) \(schema.name).\(name) (\(type.rawValue)) is not in the destination"
                return nil
            case .discard_row:
                discardRow = true
                return nil
            case .discard_value:
                return nil
            }
        }
        let type = declared[name] ?? type
        let i = addColumn(path: path, name: name, type: type)
        if existed {
            changes.append(
                "\(why) \(schema.name).\(schema.columns[i].name) (\(type.rawValue))"
                    + (detail.isEmpty ? "" : " \(detail)"))
        }
        if type == .decimal && declared[name] == nil {
            changes.append(
                "column \(schema.name).\(schema.columns[i].name) is decimal: numbers beyond 64-bit integers "
                    + "and doubles are kept exactly, as text (declare it with columns: to fix its type from the first row)"
            )
        }
        return i
    }

    private func addColumn(path: String, name: String, type: DataType) -> Int {
        var unique = name
        var n = 2
        while columnByName[unique] != nil { unique = "\(name)_\(n)"; n += 1 }
        if unique != name {
            changes.append(
                "column \(schema.name).\(unique) renamed from \(name): another field has that name after normalization")
            if let knownType = known[unique] {
                known[unique] = nil; return append(path: path, name: unique, type: knownType)
            }
        }
        return append(path: path, name: unique, type: type)
    }

    private func append(path: String, name: String, type: DataType) -> Int {
        let index = schema.columns.count
        schema.columns.append(Column(name: name, type: type))
        columnByPath[path] = index
        columnByName[name] = index
        return index
    }

    func takeChanges() -> [String] {
        defer { changes.removeAll() }
        return changes
    }
}
