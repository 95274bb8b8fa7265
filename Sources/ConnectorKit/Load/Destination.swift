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
public protocol LoadSession: JobStateStore {
    /// The tables the destination has for this pipeline (name → columns), so that a run
    /// keeps the types earlier runs decided and schema contracts know what is new.
    func existingTables() async throws -> [String: [Column]]
    /// Stored state of a resource: cursors per work item, export jobs in flight. Stored in the
    /// form `StateEncoding` gives it, the same for every destination.
    func state(resource: String) async throws -> ResourceState
    /// Makes staging ready for a load of the resources `fingerprint` stands for. When an
    /// earlier load of them died with work staged (and never committed), a resumable
    /// destination keeps that work and returns where it stood; the load then continues under
    /// the earlier load id. Otherwise staging starts empty and the answer is nil.
    func prepareStaging(fingerprint: String) async throws -> ResumePoint?
    /// Stages batches together with the resource's checkpoint, in one transaction where the
    /// destination can, so that a resumed run neither loses nor repeats a page. A destination
    /// that merges keeps each row's item order with it (see `StagedBatch`); one that cannot
    /// resume ignores the checkpoint (a run that dies starts over).
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws
    /// Tells that a resource succeeded and staged its last rows: if the load commits, it is
    /// published as `publication`. A destination may prepare that publish while other resources
    /// still stage (PostgreSQL builds the staged tables' key indexes); rows staged later into
    /// the same tables must still publish correctly.
    func stagingFinished(_ publication: ResourcePublication) async
    /// Publishes `load.publications` (the resources that succeeded: their data, state and
    /// schema) and the load record, in one transaction. Resources that failed leave no trace.
    func commit(_ load: LoadSummary) async throws
    /// Discards everything staged.
    func abort() async
}

extension LoadSession {
    /// Destinations without resumable staging start every load afresh.
    public func prepareStaging(fingerprint: String) async throws -> ResumePoint? { nil }
    /// Destinations that prepare nothing ahead of the publish ignore it.
    public func stagingFinished(_ publication: ResourcePublication) async {}
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
