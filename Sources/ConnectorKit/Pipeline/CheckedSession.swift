/// A resource's load session that also tells the staged root rows to a `StagedRowStats`, so the
/// `unique` and `not_null` checks see every row this run stages without touching the sink.
struct CheckedSession: WrappingSession {
    let base: any LoadSession
    let stats: StagedRowStats

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
        await stats.observe(batches)
        try await base.write(batches, checkpoint: checkpoint)
    }
}

/// What the checks need to know of the staged root rows: keys seen twice, nulls per column.
/// Keys are kept only when a `unique` check asks (one load's keys, in memory).
actor StagedRowStats {
    private let roots: Set<String>
    private let keyed: Bool
    private let watched: Set<String>
    private var keys: Set<[Value]> = []
    private(set) var duplicateKeys = 0
    private(set) var firstDuplicate: String?
    private(set) var nulls: [String: Int] = [:]

    init(roots: [String], keyed: Bool, watched: [String]) {
        self.roots = Set(roots)
        self.keyed = keyed
        self.watched = Set(watched)
    }

    func observe(_ batches: [StagedBatch]) {
        for batch in batches where roots.contains(batch.rows.table.name) {
            let table = batch.rows.table
            let names = table.columns.map(\.name)
            let keyIndexes = keyed ? table.primaryKey.compactMap { names.firstIndex(of: $0) } : []
            let watchedIndexes = names.indices.filter { watched.contains(names[$0]) }
            batch.rows.forEachRow { row, arena in
                let cell = { (i: Int) in i < row.count ? row[i].value(in: arena) : .null }
                for i in watchedIndexes where cell(i) == .null { nulls[names[i], default: 0] += 1 }
                // A column declared but never staged has no index: every row is null there.
                for column in watched where !names.contains(column) { nulls[column, default: 0] += 1 }
                guard !keyIndexes.isEmpty else { return }
                let key = keyIndexes.map(cell)
                if !keys.insert(key).inserted {
                    duplicateKeys += 1
                    if firstDuplicate == nil {
                        firstDuplicate = key.map { $0.textValue ?? "null" }.joined(separator: ", ")
                    }
                }
            }
        }
    }
}
