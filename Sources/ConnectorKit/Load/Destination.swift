/// What a destination can do, so that the engine and the CLI adapt instead of failing late.
public struct DestinationCapabilities: Sendable {
    /// How a merge is carried out.
    public enum MergeStrategy: String, Sendable {
        /// Delete the keys being loaded (and those parents' children), insert the newest row per key.
        case deleteInsert = "delete-insert"
        /// Append only; readers keep the newest row per `_connector_id`.
        case appendOnly = "append-only"
    }

    /// The type each inferred column type is stored as.
    public var types: [DataType: String]
    /// Longest identifier the destination keeps (longer names are shortened with a hash).
    public var maxIdentifierLength: Int?
    /// Whether table creation and changes commit with the data (or not at all).
    public var transactionalDDL: Bool
    public var mergeStrategy: MergeStrategy
    /// Whether `connector query` can run SQL against it.
    public var supportsSQL: Bool

    public init(types: [DataType: String], maxIdentifierLength: Int?, transactionalDDL: Bool,
                mergeStrategy: MergeStrategy, supportsSQL: Bool) {
        self.types = types
        self.maxIdentifierLength = maxIdentifierLength
        self.transactionalDDL = transactionalDDL
        self.mergeStrategy = mergeStrategy
        self.supportsSQL = supportsSQL
    }
}

/// A place loaded data goes (SQLite, PostgreSQL, files). The engine only talks to this.
public protocol Destination: Sendable {
    var name: String { get }
    var capabilities: DestinationCapabilities { get }
    /// Opens the pipeline's dataset for one load. Data written through the session is staged
    /// and becomes visible only on `commit`.
    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession
    /// Read access for `show`, `query`, `state`, `loads`.
    func openDataset(pipeline: String) async throws -> any DatasetReader
    /// Forgets stored state (cursors, jobs in flight) of one resource or of all; data stays.
    /// Returns how many state entries were removed.
    func resetState(pipeline: String, resource: String?) async throws -> Int
}

/// One load in progress. Implementations are actors or otherwise safe to call concurrently.
public protocol LoadSession: Sendable {
    /// The tables the destination has for this pipeline (name → columns), so that a run
    /// keeps the types earlier runs decided and schema contracts know what is new.
    func existingTables() async throws -> [String: [Column]]
    /// Stored state of a resource: key → value (cursors per partition, jobs in flight).
    func state(resource: String) async throws -> [String: String]
    /// Stores one state value at once, outside the load's transaction: for facts that must
    /// survive a failed run, such as the id of an export job in flight (so a rerun polls it
    /// instead of spending quota on a new one). `nil` deletes the key.
    func checkpoint(resource: String, key: String, value: String?) async throws
    /// Stages a batch of rows.
    func write(_ batch: RowBatch) async throws
    /// Makes staging ready for a load of the resources `fingerprint` stands for. When an
    /// earlier load of them died with work staged (and never committed), a resumable
    /// destination keeps that work and returns where it stood; the load then continues under
    /// the earlier load id. Otherwise staging starts empty and the answer is nil.
    func prepareStaging(fingerprint: String) async throws -> ResumePoint?
    /// Stages batches together with the resource's checkpoint, in one transaction where the
    /// destination can, so that a resumed run neither loses nor repeats a page. A destination
    /// that merges keeps each row's item order with it (see `StagedBatch`).
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws
    /// Publishes the data of the resources that succeeded, their state, the schema and the
    /// load record, in one transaction. Resources that failed leave no trace.
    func commit(_ load: LoadSummary) async throws
    /// Discards everything staged.
    func abort() async
}

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

/// What a load did, resource by resource; committed with the data.
public struct LoadSummary: Sendable {
    public var loadId: String
    public var pipeline: String
    public var startedAt: String
    public var finishedAt: String
    public var resources: [ResourceOutcome]

    public init(loadId: String, pipeline: String, startedAt: String, finishedAt: String, resources: [ResourceOutcome]) {
        self.loadId = loadId
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.resources = resources
    }

    public var status: String {
        if resources.allSatisfy({ $0.status != .failed }) { return "succeeded" }
        return resources.contains { $0.status == .succeeded } ? "partial" : "failed"
    }
}

public struct ResourceOutcome: Sendable {
    public enum Status: String, Sendable { case succeeded, failed, skipped }
    public var resource: String
    public var status: Status
    /// Every table the resource produced this run (root first), with its final columns.
    public var tables: [TableSchema]
    /// Root table names of the resource, with their disposition (also when no rows came).
    public var roots: [(name: String, disposition: WriteDisposition, primaryKey: [String])]
    public var rows: [String: Int]
    /// State to store for the resource (replaces the stored keys given here).
    public var state: [String: String]
    /// State keys to delete (e.g. a finished job id).
    public var clearedState: [String]
    public var pages: Int
    public var requests: Int
    public var retries: Int
    public var seconds: Double
    public var message: String?
    public var schemaChanges: [String]
    public var notes: [String]
    /// Applied to the resource's root tables (and their children) when the load commits.
    public var retention: RetentionRule?

    public init(resource: String, status: Status) {
        self.resource = resource
        self.status = status
        tables = []
        roots = []
        rows = [:]
        state = [:]
        clearedState = []
        pages = 0
        requests = 0
        retries = 0
        seconds = 0
        schemaChanges = []
        notes = []
    }

    public var totalRows: Int { rows.values.reduce(0, +) }
}

/// Read side of a dataset.
public protocol DatasetReader: Sendable {
    /// Data tables (bookkeeping tables excluded) with row counts.
    func tables() async throws -> [(name: String, rows: Int)]
    func query(_ sql: String) async throws -> QueryResult
    func close() async
}

/// Rows of a query as text, for printing.
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[String?]]
    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Names of the bookkeeping tables every destination keeps.
public enum BookkeepingTable {
    public static let loads = "_connector_loads"
    public static let state = "_connector_state"
    public static let schema = "_connector_schema"
}
