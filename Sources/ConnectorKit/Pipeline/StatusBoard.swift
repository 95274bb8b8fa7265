/// What the live status of a run shows: each running resource with its figures and retries,
/// and how many have ended. Pure — the CLI feeds it events and draws its lines (a block redrawn
/// in place in a terminal, plain periodic lines otherwise); `now` is the caller's clock in
/// seconds, so tests draw it at a fake width and time.
public struct StatusBoard: Sendable {
    /// One running resource.
    public struct Row: Sendable, Equatable {
        public let pipeline: String
        public let resource: String
        public let startedAt: Double
        public var figures = ProgressFigures()
        public var retries = 0
        /// The retry being waited for, while it is (shown when the wait is a second or more).
        public var waiting: String?

        public var label: String { "\(pipeline)/\(resource)" }
    }

    public private(set) var running: [Row] = []
    public private(set) var ended = 0
    public private(set) var failed = 0

    public init() {}

    public mutating func apply(_ event: ProgressEvent, pipeline: String, now: Double) {
        switch event {
        case .started(let resource):
            running.append(Row(pipeline: pipeline, resource: resource, startedAt: now))
        case .progress(let resource, let figures):
            update(pipeline, resource) {
                $0.figures = figures
                $0.waiting = nil
            }
        case .retrying(let resource, let notice):
            update(pipeline, resource) {
                $0.retries += 1
                $0.waiting = notice.wait >= 1 ? "retry \(notice.nextAttempt)/\(notice.maxAttempts)" : nil
            }
        case .finished(let report):
            running.removeAll { $0.pipeline == pipeline && $0.resource == report.resource }
            ended += 1
            if report.status == .failed { failed += 1 }
        }
    }

    private mutating func update(_ pipeline: String, _ resource: String, _ change: (inout Row) -> Void) {
        if let i = running.firstIndex(where: { $0.pipeline == pipeline && $0.resource == resource }) {
            change(&running[i])
        }
    }

    /// The block a terminal shows: a summary line, then one aligned line per running resource;
    /// every line cut to `width - 1` columns, so that none wraps (a wrapped line would break
    /// the redraw, which moves up one terminal line per line drawn).
    public func block(width: Int, now: Double) -> [String] {
        var summary = "\(running.count) running, \(ended) ended"
        if failed > 0 { summary += " (\(failed) failed)" }
        let table = TextTable.aligned(running.map { cells($0, now: now) }).map { "  " + $0 }
        return ([summary] + table).map { StatusText.cut($0, to: width - 1) }
    }

    /// One plain line per running resource, for a pipe or a file (no escape codes).
    public func plainLines(now: Double) -> [String] {
        running.map { "  … " + cells($0, now: now).filter { !$0.isEmpty }.joined(separator: ", ") }
    }

    /// pipeline/resource, pages (items done of several), rows (share of the announced records),
    /// rows/s, elapsed, ETA, retries.
    private func cells(_ row: Row, now: Double) -> [String] {
        let f = row.figures
        let elapsed = max(0, now - row.startedAt)
        var rows = "\(StatusText.grouped(f.rows)) rows"
        if let expected = f.expectedRecords { rows += " (\(StatusText.percent(f.records, of: expected)))" }
        let rate = f.elapsed > 0 ? "\(StatusText.grouped(Int(Double(f.rows) / f.elapsed))) rows/s" : ""
        let eta = f.secondsLeft.map { "ETA " + StatusText.duration(max(0, $0 - (elapsed - f.elapsed))) } ?? ""
        var pages = "\(StatusText.grouped(f.pages)) pages"
        if f.items > 1 { pages += " (\(StatusText.grouped(f.itemsDone))/\(StatusText.grouped(f.items)) items)" }
        var retries = row.retries == 0 ? "" : "\(row.retries) \(row.retries == 1 ? "retry" : "retries")"
        if let waiting = row.waiting { retries += retries.isEmpty ? waiting : " (\(waiting))" }
        return [row.label, pages, rows, rate, StatusText.duration(elapsed), eta, retries]
    }
}
