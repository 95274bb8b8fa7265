/// Normalized rows awaiting the next flush: one batch per table and work item, each tagged with
/// its item's place in the resource's order (`StagedBatch.itemOrder`, staged as `_stg_item`), which
/// decides merges: rows of later items win, whatever order the items finished in.
struct PendingBatches {
    /// Each work item's place in the resource's order.
    private var itemOrder: [String: Int] = [:]
    private var batches: [StagedBatch] = []
    /// (item order, table) → index in `batches`. Kept at its size between flushes: a resource
    /// with an item per parent record meets thousands of keys per flush.
    private var index: [Key: Int] = [:]

    private struct Key: Hashable {
        let order: Int
        let table: String

        /// The order and the name's length: an item's tables seldom share a length, and equal keys
        /// still compare whole names. Hashing every name's bytes cost ~9 M instructions a run at
        /// scale 5 (a look-up and an insert per batch, thousands of batches per flush).
        func hash(into hasher: inout Hasher) {
            hasher.combine(order)
            hasher.combine(table.utf8.count)
        }
    }

    /// Numbers the items in order; an item already numbered keeps its place.
    mutating func setOrder(_ items: [WorkItem]) {
        for (i, item) in items.enumerated() where itemOrder[item.key] == nil { itemOrder[item.key] = i }
    }

    /// Adds the rows normalized from one page of the item with key `itemKey`.
    mutating func add(_ rows: [RowBatch], itemKey: String) {
        let order = itemOrder[itemKey] ?? 0
        for batch in rows { add(batch, order: order) }
    }

    /// Adds what `normalizer` buffered from one page of the item with key `itemKey`, its batches
    /// moved here, not copied.
    mutating func add(from normalizer: RecordNormalizer, itemKey: String) {
        let order = itemOrder[itemKey] ?? 0
        normalizer.takeBatches { add($0, order: order) }
    }

    private mutating func add(_ batch: consuming RowBatch, order: Int) {
        let key = Key(order: order, table: batch.table.name)
        if let i = index[key] {
            // Columns are only ever appended: the newer schema describes the older rows too.
            batches[i].rows.append(contentsOf: batch)
            batches[i].rows.table = batch.table
        } else {
            index[key] = batches.count
            batches.append(StagedBatch(batch, itemOrder: order))
        }
    }

    /// Everything pending, emptied.
    mutating func take() -> [StagedBatch] {
        defer {
            batches.removeAll()
            index.removeAll(keepingCapacity: true)
        }
        return batches
    }
}
