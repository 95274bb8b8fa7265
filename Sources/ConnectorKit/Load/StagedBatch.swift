/// Rows of one table that came from one work item, with that item's place in the resource's
/// work-item order. When a merge key is staged more than once, the row of the item latest in
/// that order wins, then the item's latest record: the winner never depends on the order in
/// which items happened to finish (export jobs, concurrent pages).
public struct StagedBatch: Sendable {
    public var rows: RowBatch
    public var itemOrder: Int

    public init(_ rows: RowBatch, itemOrder: Int) {
        self.rows = rows
        self.itemOrder = itemOrder
    }
}

/// Columns that exist only in staging tables.
public enum StagingColumn {
    /// A row's `StagedBatch.itemOrder`, in the staged tables of merged resources.
    public static let itemOrder = "_stg_item"
}
