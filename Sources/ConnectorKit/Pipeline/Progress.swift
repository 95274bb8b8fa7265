/// Events a run reports while it goes, for progress lines.
public enum ProgressEvent: Sendable {
    case started(resource: String)
    case progress(resource: String, pages: Int, rows: Int, elapsed: Double)
    case finished(ResourceReport)
    /// A request of the resource failed and is sent again after a wait.
    case retrying(resource: String, RetryNotice)
}

/// Where progress events go (the CLI prints them; tests ignore them).
public struct ProgressReporter: Sendable {
    let handler: @Sendable (ProgressEvent) -> Void
    public init(_ handler: @escaping @Sendable (ProgressEvent) -> Void) { self.handler = handler }
    public static let silent = ProgressReporter { _ in }
    func report(_ event: ProgressEvent) { handler(event) }
}
