/// Events a run reports while it goes, for progress lines.
public enum ProgressEvent: Sendable {
    case started(resource: String)
    case progress(resource: String, ProgressFigures)
    case finished(ResourceReport)
    /// A request of the resource failed and is sent again after a wait.
    case retrying(resource: String, RetryNotice)
}

/// Where a running resource stands: pages and records read, rows produced, and the records
/// its API announced in all (when it did: an offset paginator's `total_path`).
public struct ProgressFigures: Sendable, Equatable {
    public var pages: Int
    public var rows: Int
    public var records: Int
    public var expectedRecords: Int?
    /// Seconds since the resource started.
    public var elapsed: Double

    public init(pages: Int = 0, rows: Int = 0, records: Int = 0, expectedRecords: Int? = nil, elapsed: Double = 0) {
        self.pages = pages
        self.rows = rows
        self.records = records
        self.expectedRecords = expectedRecords
        self.elapsed = elapsed
    }
}

/// Where progress events go (the CLI prints them; tests ignore them).
public struct ProgressReporter: Sendable {
    let handler: @Sendable (ProgressEvent) -> Void
    public init(_ handler: @escaping @Sendable (ProgressEvent) -> Void) { self.handler = handler }
    public static let silent = ProgressReporter { _ in }
    func report(_ event: ProgressEvent) { handler(event) }
}
