/// What a person reads about one resource of a run: how it ended, what it fetched and made,
/// and why. Printed by the CLI, and stored with the load record (`LoadDetails`); the
/// destination never acts on it (that is `ResourcePublication`).
public struct ResourceReport: Sendable {
    public enum Status: String, Sendable { case succeeded, failed, skipped }
    public var resource: String
    public var status: Status
    /// Rows per table, the resource's every table (root first), as staged from the API's answers: a
    /// merged key that several work items serve (partitions that each repeat a row) counts once per
    /// item, while the published table keeps one row.
    public var rows: [String: Int]
    public var pages: Int
    public var requests: Int
    public var retries: Int
    public var seconds: Double
    /// Why the resource failed or was skipped, or what went partly wrong.
    public var message: String?
    public var schemaChanges: [String]
    public var notes: [String]
    /// Results of the resource's data checks (`checks:`), when it has any.
    public var checks: [CheckResult] = []

    public init(resource: String, status: Status) {
        self.resource = resource
        self.status = status
        rows = [:]
        pages = 0
        requests = 0
        retries = 0
        seconds = 0
        schemaChanges = []
        notes = []
    }

    public var totalRows: Int { rows.values.reduce(0, +) }
}
