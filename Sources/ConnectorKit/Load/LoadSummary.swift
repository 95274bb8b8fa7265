/// One load as it commits: the report of every resource (stored as the load record) and the
/// publications of the resources that succeeded (what the destination does).
public struct LoadSummary: Sendable {
    public var loadId: String
    public var pipeline: String
    public var startedAt: String
    public var finishedAt: String
    public var reports: [ResourceReport]
    /// Only those of resources whose report says `succeeded`, in report order: a failed or
    /// skipped resource leaves no trace, whatever the caller passed.
    public private(set) var publications: [ResourcePublication]

    public init(
        loadId: String, pipeline: String, startedAt: String, finishedAt: String, reports: [ResourceReport],
        publications: [ResourcePublication]
    ) {
        self.loadId = loadId
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.reports = reports
        let succeeded = reports.filter { $0.status == .succeeded }.map(\.resource)
        self.publications = succeeded.compactMap { name in publications.first { $0.resource == name } }
    }

    public var status: String {
        if reports.allSatisfy({ $0.status != .failed }) { return "succeeded" }
        return reports.contains { $0.status == .succeeded } ? "partial" : "failed"
    }

    /// Rows the succeeded resources staged (`ResourceReport.rows`): what the API offered. A merge
    /// publishes fewer when keys repeat within the load.
    public var publishedRows: Int { reports.filter { $0.status == .succeeded }.reduce(0) { $0 + $1.totalRows } }
}
