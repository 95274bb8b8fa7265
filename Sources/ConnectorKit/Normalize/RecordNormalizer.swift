/// Walks JSON records into rows: nested objects flattened with `__`, nested lists into child
/// tables linked by `_connector_parent_id`, types inferred, names normalized.
/// One instance per resource, used by one task at a time.
public final class RecordNormalizer {
    public let loadId: String
    let maxNesting: Int
    /// The destination's tables (name → columns) before this run.
    let existing: [String: [Column]]
    let contract: SchemaContract
    private var roots: [String: TableBuilder] = [:]
    var order: [TableBuilder] = []
    /// `nullable` / `precision` hints of root tables, checked on every root row.
    private var hints: [String: [String: ColumnHint]] = [:]
    /// Rows without a primary key numbered so far (their ids are load id + table + number).
    var sequence = 0
    /// Records dropped by a `discard_row` contract.
    public private(set) var discardedRecords = 0
    /// A number of the current record that no destination stores exactly; fails the record.
    private var outOfRange: NormalizeError?
    /// An emptied list buffer `add` reuses (a record's nested lists), so records cost no allocation for it.
    private var spareDeferred: [Deferred] = []
    /// The table the last record went to: pages hold records of one table, so no lookup by name per record.
    private var lastRoot: (name: String, builder: TableBuilder)?

    public init(loadId: String, maxNesting: Int, existing: [String: [Column]] = [:], contract: SchemaContract = .evolve)
    {
        self.loadId = loadId
        self.maxNesting = maxNesting
        self.existing = existing
        self.contract = contract
    }

    /// Declares a root table before its first record; `columns` fixes the types of some of its
    /// columns (normalized name → type) instead of inferring them.
    public func declareRoot(
        _ name: String, primaryKey: [String], disposition: WriteDisposition, resource: String,
        columns: [String: DataType] = [:], hints: [String: ColumnHint] = [:]
    ) {
        if !hints.isEmpty { self.hints[name] = hints }
        guard roots[name] == nil else { return }
        let schema = TableSchema(
            name: name, columns: [], parent: nil, root: name,
            primaryKey: primaryKey.map(NameNormalizer.normalize), disposition: disposition, resource: resource)
        let builder = TableBuilder(
            schema: schema, systemColumns: [(SystemColumn.loadId, .text), (SystemColumn.id, .text)],
            existing: existing[name], contract: contract, declared: columns)
        roots[name] = builder
        order.append(builder)
    }

    /// Adds one record to root table `table`, with extra columns (partition values, parent fields).
    public func add(_ record: JSONValue, to table: String, extras: [(name: String, value: Value)])
        throws(NormalizeError)
    {
        let root = rootTable(table)
        let before = contract == .discard_row ? order.map(\.rowCount) : []
        // As wide as the table is: no cell set later pads the row (a column added by this record still does).
        var row = root.newRow()
        if let i = root.system.loadId { row.set(i, root.sharedCell(.text(loadId))) }
        for extra in extras where extra.value != .null {
            if let slot = root.extraSlot(name: extra.name, type: Self.type(of: extra.value)) {
                row.set(slot.index, root.cell(Self.coerce(extra.value, to: slot.type)))
            }
        }
        var deferred = spareDeferred  // the record's lists, for after its row
        spareDeferred = []
        defer { deferred.removeAll(keepingCapacity: true); spareDeferred = deferred }
        switch record.kind {
        case .object: fill(record, table: root, field: root.fields, row: &row, depth: 1, deferred: &deferred)
        case .null: break  // a null record is a row of nulls, not the text "null"
        case let kind: setValue(record, kind: kind, field: root.valueField, table: root, row: &row)
        }
        var hasher = root.idPrefix ?? idPrefix(root)
        if root.schema.primaryKey.isEmpty {
            sequence += 1
            hasher.add(sequence)
        } else {
            let indexes = root.primaryKeyIndexes()
            for (n, key) in root.schema.primaryKey.enumerated() {
                guard let i = indexes?[n], i < row.count, root.hash(row[i], into: &hasher) else {
                    throw NormalizeError(table: table, message: root.missingKeyMessage(key, row: row))
                }
            }
        }
        let id = hasher.finishID()
        if let i = root.system.id { row.set(i, root.text(id)) }
        if !hints.isEmpty, let hints = hints[table],
            let problem = ColumnCheck.problem(row.map(root.value), in: root, hints: hints)
        {
            throw NormalizeError(table: table, message: problem)
        }
        root.append(&row)
        emitChildren(deferred, parent: root, parentId: id, rootId: id)
        if let outOfRange { self.outOfRange = nil; throw outOfRange }
        if contract != .evolve { try enforceContract(table: table, rowsBefore: before) }
    }

    /// What every row id of a root table starts with: the load id (rows without a key) and the table.
    private func idPrefix(_ root: TableBuilder) -> StableID.Hasher {
        var hasher = StableID.Hasher()
        if root.schema.primaryKey.isEmpty { hasher.add(loadId) }
        hasher.add(root.name)
        root.idPrefix = hasher
        return hasher
    }

    private func rootTable(_ table: String) -> TableBuilder {
        if let lastRoot, lastRoot.name == table { return lastRoot.builder }
        guard let root = roots[table] else { preconditionFailure("table \(table) not declared") }
        lastRoot = (table, root)
        return root
    }

    /// After a record: a freeze violation fails; a discard_row drops what the record added.
    private func enforceContract(table: String, rowsBefore: [Int]) throws(NormalizeError) {
        for builder in order {
            if let violation = builder.violation {
                builder.violation = nil
                throw NormalizeError(table: builder.name, message: violation)
            }
        }
        guard order.contains(where: \.discardRow) else { return }
        for (i, builder) in order.enumerated() {
            builder.discardRow = false
            let keep = i < rowsBefore.count ? rowsBefore[i] : 0
            if builder.rowCount > keep { builder.discard(builder.rowCount - keep) }
        }
        discardedRecords += 1
    }

    struct Deferred {
        let list: JSONValue
        let field: FieldNode
        let depth: Int
    }

    private func fill(
        _ object: JSONValue, table: TableBuilder, field parent: FieldNode, row: inout [Cell], depth: Int,
        deferred: inout [Deferred]
    ) {
        var previous: FieldNode?
        for member in object.members {
            let value = member.value
            let kind = value.kind
            if kind == .null { continue }
            let field = parent.child(member.key, after: previous)
            previous = field
            switch kind {
            case .object:
                if depth < maxNesting {
                    fill(value, table: table, field: field, row: &row, depth: depth + 1, deferred: &deferred)
                } else if let slot = field.slot(.json, in: table) {
                    row.set(slot.index, table.cell(.text(value.jsonText)))
                }
            case .array:
                if depth < maxNesting {
                    deferred.append(Deferred(list: value, field: field, depth: depth))
                } else if let slot = field.slot(.json, in: table) {
                    row.set(slot.index, table.cell(.text(value.jsonText)))
                }
            default:
                setValue(value, kind: kind, field: field, table: table, row: &row)
            }
        }
    }

    private func setValue(
        _ value: JSONValue, kind: JSONValue.Kind, field: FieldNode, table: TableBuilder, row: inout [Cell]
    ) {
        if kind == .string {  // its bytes go to the table's arena as they are (`coerce` keeps text as text)
            value.withStringBytes { bytes in
                guard let slot = field.slot(Self.looksLikeTimestamp(bytes) ? .timestamp : .text, in: table) else {
                    return
                }
                row.set(slot.index, table.text(bytes))
            }
            return
        }
        let (type, cell) = Self.scalar(value, kind: kind)
        if type == .decimal, case .text(let text) = cell, let problem = DecimalText.rangeProblem(text) {
            let name = field.path.split(separator: "\u{1F}").joined(separator: ".")
            outOfRange = outOfRange ?? NormalizeError(table: table.name, message: "field '\(name)': \(problem)")
            return
        }
        guard let slot = field.slot(type, in: table) else { return }
        row.set(slot.index, table.cell(slot.type == type ? cell : Self.coerce(cell, to: slot.type)))
    }

    private func emitChildren(
        _ deferred: [Deferred], parent: TableBuilder, parentId: StableID.RowID, rootId: StableID.RowID
    ) {
        for item in deferred {
            guard let child = childTable(of: parent, field: item.field) else { continue }
            let system = child.system
            var index = 0
            let idPrefix = StableID.listPrefix(parentId: parentId, path: item.field.path)
            // Every row of the list has the same parent and root: their digits go to the arena once,
            // with the first row, and every row's cells read them there.
            var parentCell = Cell.null, rootCell = Cell.null
            for element in item.list.elements {
                var row = child.newRow()
                let id = StableID.child(idPrefix, index: index)
                if index == 0 {
                    parentCell = child.text(parentId)
                    rootCell = rootId.hash == parentId.hash ? parentCell : child.text(rootId)
                }
                if let i = system.parentId { row.set(i, parentCell) }
                if let i = system.listIndex { row.set(i, .int(Int64(index))) }
                if let i = system.rootId { row.set(i, rootCell) }
                if let i = system.id { row.set(i, child.text(id)) }
                var nested: [Deferred] = []
                let kind = element.kind
                switch kind {
                case .object:
                    fill(
                        element, table: child, field: child.fields, row: &row, depth: item.depth + 1, deferred: &nested)
                case .array:
                    if let slot = child.valueField.slot(.json, in: child) {
                        row.set(slot.index, child.cell(.text(element.jsonText)))
                    }
                case .null:
                    break
                case let kind:
                    setValue(element, kind: kind, field: child.valueField, table: child, row: &row)
                }
                child.append(&row)
                if !nested.isEmpty { emitChildren(nested, parent: child, parentId: id, rootId: rootId) }
                index += 1
            }
        }
    }

    /// Everything buffered since the last call, parents before children.
    public func takeBatches() -> [RowBatch] {
        var batches: [RowBatch] = []
        takeBatches { batches.append($0) }
        return batches
    }

    /// Everything buffered since the last call, parents before children, each batch handed over
    /// to `body` (moved, not copied: a copy retains and releases each array in it).
    public func takeBatches(_ body: (consuming RowBatch) -> Void) {
        for table in order {
            if let batch = table.takeBatch() { body(batch) }
        }
    }

    /// Schema changes seen since the last call (new columns after the first rows, variants, renames).
    @discardableResult
    public func takeSchemaChanges() -> [String] { order.flatMap { $0.takeChanges() } }

    /// Current schemas of every table seen, parents first.
    public var schemas: [TableSchema] { order.map(\.schema) }

    /// Rows produced so far, all tables together.
    public var totalRows: Int { order.reduce(0) { $0 + $1.totalRows } }
    /// Rows produced per table so far.
    public var rowCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for t in order { counts[t.name] = t.totalRows }
        return counts
    }
}

public struct NormalizeError: Error, Sendable, CustomStringConvertible {
    public let table: String
    public let message: String
    public var description: String { "table '\(table)': \(message)" }
}
