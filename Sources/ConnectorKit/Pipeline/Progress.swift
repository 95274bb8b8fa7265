/// Events a run reports while it goes, for progress lines.
public enum ProgressEvent: Sendable {
    case started(resource: String)
    case progress(resource: String, ProgressFigures)
    case finished(ResourceReport)
    /// A request of the resource failed and is sent again after a wait.
    case retrying(resource: String, RetryNotice)
}

/// Where a running resource stands: pages and records read, rows produced, the records its
/// API announced in all (when it did: an offset paginator's `total_path`), and its work items
/// (partitions × parent records) finished of all.
public struct ProgressFigures: Sendable, Equatable {
    public var pages: Int
    public var rows: Int
    public var records: Int
    public var expectedRecords: Int?
    public var items: Int
    public var itemsDone: Int
    /// Seconds since the resource started.
    public var elapsed: Double

    public init(
        pages: Int = 0, rows: Int = 0, records: Int = 0, expectedRecords: Int? = nil, items: Int = 1,
        itemsDone: Int = 0, elapsed: Double = 0
    ) {
        self.pages = pages
        self.rows = rows
        self.records = records
        self.expectedRecords = expectedRecords
        self.items = items
        self.itemsDone = itemsDone
        self.elapsed = elapsed
    }

    /// Seconds left at the pace so far: by records against the announced total, else (several
    /// work items) by the items finished; nil when neither says.
    public var secondsLeft: Double? {
        guard elapsed > 0 else { return nil }
        if let expected = expectedRecords, records > 0 {
            return expected > records ? Double(expected - records) * elapsed / Double(records) : nil
        }
        guard items > 1, itemsDone > 0, itemsDone < items else { return nil }
        return Double(items - itemsDone) * elapsed / Double(itemsDone)
    }
}

/// Where progress events go (the CLI prints them; tests ignore them).
public struct ProgressReporter: Sendable {
    let handler: @Sendable (ProgressEvent) -> Void
    public init(_ handler: @escaping @Sendable (ProgressEvent) -> Void) { self.handler = handler }
    public static let silent = ProgressReporter { _ in }
    func report(_ event: ProgressEvent) { handler(event) }
}
