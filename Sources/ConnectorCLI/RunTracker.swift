import ConnectorKit
import Logging

/// What each pipeline of one `run`/`demo` has done so far — committed or still loading, and
/// which resources have finished — so that an interrupted run can say what is safe and what
/// resumes next time.
final class RunTracker: Sendable {
    private struct Pipeline: Sendable {
        let name: String
        /// True when the destination keeps an interrupted load's staged work (SQLite, PostgreSQL).
        let resumable: Bool
        var report: RunReport?
        var started: [String] = []
        var finished: [String] = []
    }

    private let pipelines = LockedBox([Pipeline]())

    func register(_ pipeline: String, resumable: Bool) {
        pipelines.withLock { $0.append(Pipeline(name: pipeline, resumable: resumable)) }
    }

    /// Records the resource events of `pipeline`, then hands them to `printer` and `log`.
    func reporter(for pipeline: String, printing printer: ProgressPrinter, log: Logger?) -> ProgressReporter {
        ProgressReporter { [self] event in
            if let log { RunEvents.log(event, to: log) }
            switch event {
            case .started(let resource): update(pipeline) { $0.started.append(resource) }
            case .finished(let outcome): update(pipeline) { $0.finished.append(outcome.resource) }
            case .progress, .retrying: break
            }
            printer.handle(event, pipeline: pipeline)
        }
    }

    func ended(_ report: RunReport) { update(report.pipeline) { $0.report = report } }

    private func update(_ pipeline: String, _ change: (inout Pipeline) -> Void) {
        pipelines.withLock { all in
            if let i = all.firstIndex(where: { $0.name == pipeline }) { change(&all[i]) }
        }
    }

    /// One line per pipeline: committed (or not), or interrupted with its finished and cut-off
    /// resources and what the next run does with them.
    func interruptionSummary(signal: String) -> String {
        var lines = ["", "\(signal): stopped fetching; nothing half-loaded is published."]
        for p in pipelines.withLock({ $0 }) {
            if let report = p.report {
                lines.append(
                    "  \(p.name): "
                        + (report.committed
                            ? "committed (load \(report.loadId))"
                            : "ended before the signal, nothing committed"))
                continue
            }
            let cut = p.started.filter { !p.finished.contains($0) }
            var line = "  \(p.name): interrupted, nothing of this run published"
            if !p.finished.isEmpty { line += "; finished and staged: \(p.finished.joined(separator: ", "))" }
            if !cut.isEmpty { line += "; cut off: \(cut.joined(separator: ", "))" }
            if cut.isEmpty && !p.finished.isEmpty { line += " (it was publishing: see `connector loads \(p.name)`)" }
            line +=
                p.resumable
                ? ". The next run of \(p.name) resumes where it stopped."
                : ". The next run of \(p.name) starts this load over (files destination)."
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
