/// The dialect-specific steps of publishing staged rows; `PublishPlan` decides which to take,
/// so every SQL destination has the same write-disposition semantics.
public protocol PublishTarget: Sendable {
    /// Tables the destination has recorded under a root table (the root and its children).
    func registeredTables(root: String) async throws -> [String]
    func exists(_ table: String) async throws -> Bool
    /// Creates the published table or adds the staged columns it lacks.
    func ensureTable(_ table: TableSchema, columns: [Column]) async throws
    func deleteAll(_ table: String) async throws
    /// Deletes the root rows whose `_connector_id` is staged, and those roots' children.
    func deleteMerged(root: String, children: [String]) async throws
    /// Copies the staged rows `keep` selects. Returns how many went in, when the destination says.
    func insertStaged(_ table: String, columns: [Column], keep: StagedSelection) async throws -> Int?
    /// Rows staged for a table, when the destination can count them cheaply.
    func stagedRowCount(_ table: String) async throws -> Int?
    func applyRetention(_ rule: RetentionRule, root: String, children: [String]) async throws
    /// Rows of `root` whose `SystemColumn.unit` is NULL or missing (loaded before units were recorded).
    func rowsWithoutUnit(root: String) async throws -> Int
    /// Deletes the root rows whose `SystemColumn.unit` is one of `units`, and those roots' children.
    func deleteUnits(_ units: [String], root: String, children: [String]) async throws
    /// Records the published table's columns as a new schema version when they changed.
    func recordSchema(_ table: TableSchema) async throws
    /// Stores a resource's state change.
    func saveState(_ change: StateChange, resource: String) async throws
}

/// Which staged rows of a table are published.
public enum StagedSelection: Sendable, Equatable {
    case all
    /// A root's newest row per `_connector_id`: the row of the work item latest in the
    /// resource's order (`StagingColumn.itemOrder`), then the latest staged of that item.
    case newestPerKey
    /// A child's rows that hang under the winning row of their root (of the same work item),
    /// newest per `_connector_id`.
    case newestUnderWinningRoot(root: String)

    /// The root of `newestUnderWinningRoot`.
    public var winningRoot: String? {
        if case .newestUnderWinningRoot(let root) = self { return root }
        return nil
    }
}

/// Publishing one succeeded resource, inside the load's transaction: append inserts; replace
/// deletes the root and its children first (readers keep the old rows until commit); merge
/// deletes the keys being loaded and their children, then inserts the newest staged row per
/// key. A merged resource's key staged by several work items (partitions, parents) keeps the
/// row of the item latest in the resource's order — the newest partition — and that item's
/// children, whatever order the items finished in; a full refresh of it keeps them the same
/// way. Retention, schema versions and state follow, in the same transaction.
public enum PublishPlan {
    public static func publish(
        _ publication: ResourcePublication, staged: [String: [Column]],
        into target: some PublishTarget
    ) async throws {
        for root in publication.roots {
            let tables = publication.tables.filter { $0.root == root.name }
            for table in tables {
                if let columns = staged[table.name] { try await target.ensureTable(table, columns: columns) }
            }
            var family: Set<String> = []
            for name in Set(try await target.registeredTables(root: root.name) + tables.map(\.name))
            where try await target.exists(name) {
                family.insert(name)
            }
            let children = family.filter { $0 != root.name }.sorted()
            switch root.disposition {
            case .append:
                break
            case .replace:
                try await clearReplaced(publication.replacedUnits, root: root.name, family: family, in: target)
            case .merge:
                if staged[root.name] != nil, family.contains(root.name) {
                    try await target.deleteMerged(root: root.name, children: children)
                }
            }
            // A merged root keeps its newest staged row per key. Its children need the same
            // sorting only if some key came more than once: their ids derive from the root's.
            var rootKeysRepeat = true
            for table in tables.sorted(by: { $0.isRoot && !$1.isRoot }) {
                guard let columns = staged[table.name] else { continue }
                let merged = root.disposition == .merge || table.disposition == .merge
                let keep: StagedSelection =
                    !merged
                    ? .all
                    : table.isRoot
                        ? .newestPerKey
                        : rootKeysRepeat ? .newestUnderWinningRoot(root: root.name) : .all
                let inserted = try await target.insertStaged(table.name, columns: columns, keep: keep)
                if merged, table.isRoot, let inserted, let stagedRows = try await target.stagedRowCount(table.name) {
                    rootKeysRepeat = inserted < stagedRows
                }
            }
            if let rule = publication.retention, family.contains(root.name) {
                try await target.applyRetention(rule, root: root.name, children: children)
            }
            for table in tables where staged[table.name] != nil { try await target.recordSchema(table) }
        }
        try await target.saveState(publication.state, resource: publication.resource)
    }
}
