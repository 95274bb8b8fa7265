/// What the destination must do with one succeeded resource when the load commits: which
/// staged tables to publish and how (`PublishPlan`), what to keep, and how its stored state
/// changes. Made by the engine; a destination never reads the human report for this.
public struct ResourcePublication: Sendable {
    public var resource: String
    /// Every table the resource produced this run (root first), with its final columns.
    public var tables: [TableSchema]
    /// The resource's root tables with their disposition (also when no rows came).
    public var roots: [RootTable]
    /// Applied to the root tables (and their children) when the load commits.
    public var retention: RetentionRule?
    /// How the resource's stored state changes, in the load's transaction.
    public var state: StateChange
    /// For a `replace` resource loaded under a partial scope (`--shard`, `--partition`): the work-item
    /// keys of every unit this run read (also those that returned no rows). Only the root rows of these
    /// units (`_connector_unit`) and their children are replaced; nil replaces the whole table.
    public var replacedUnits: [String]?

    public init(
        resource: String, tables: [TableSchema] = [], roots: [RootTable] = [], retention: RetentionRule? = nil,
        state: StateChange = StateChange(), replacedUnits: [String]? = nil
    ) {
        self.replacedUnits = replacedUnits
        self.resource = resource
        self.tables = tables
        self.roots = roots
        self.retention = retention
        self.state = state
    }
}

/// A root table of a resource and how its rows are published.
public struct RootTable: Sendable, Equatable {
    public var name: String
    public var disposition: WriteDisposition
    public var primaryKey: [String]

    public init(name: String, disposition: WriteDisposition, primaryKey: [String]) {
        self.name = name
        self.disposition = disposition
        self.primaryKey = primaryKey
    }
}
