import ConnectorKit
import Foundation
import Logging

/// What `run` (and `demo`) was asked for besides the pipelines and where they load.
struct RunSettings {
    var resources: [String] = []
    var json = false
    var fullRefresh = false
    var output = OutputOptions()
    /// A dry run: at most this many pages per resource, into a `SampleDestination`.
    var sample: Int? = nil
    /// The units of work this run owns (`--shard`, `--partition`); all by default.
    var scope: WorkScope = .all
    /// The part of each source's declared rate and concurrency limits this process uses (`--rate-share`).
    var share: RateShare = .whole
}

/// Shared by `run` and `demo`: runs pipelines side by side (sources on the same origin share
/// one rate and concurrency limit) and prints each report when its pipeline ends. SIGINT and
/// SIGTERM stop the run, saying what committed and what resumes (InterruptSignals).
enum Runs {
    /// One pipeline about to run; `sample` is where a dry run keeps what it read.
    private struct Planned {
        let name: String
        let runner: PipelineRunner
        let sample: SampleDestination?
    }

    static func execute(
        _ pipelines: [String], project: ProjectSpec, destinations: ProjectDestinations, destination: String?,
        settings: RunSettings
    ) async throws -> Bool {
        let tracker = RunTracker()
        let printer = ProgressPrinter(quiet: settings.json, interval: settings.output.progressInterval)
        defer { printer.stop() }
        let planned = try plan(
            pipelines, project: project, destinations: destinations, destination: destination, settings: settings,
            tracker: tracker, printer: printer)
        let only = settings.resources.isEmpty ? nil : settings.resources
        let (json, fullRefresh, scope) = (settings.json, settings.fullRefresh, settings.scope)
        let dryRun = settings.sample != nil
        let signals = InterruptSignals { signal in
            printer.stop()  // the summary goes below the last lines that stay, not into the block
            return dryRun
                ? "\n\(signal): dry run stopped; nothing was written." : tracker.interruptionSummary(signal: signal)
        }
        defer { signals.remove() }
        let reports = try await withThrowingTaskGroup(of: (RunReport, SampleDestination?).self) { group in
            for run in planned {
                group.addTask {
                    (
                        try await run.runner.run(run.name, resources: only, fullRefresh: fullRefresh, scope: scope),
                        run.sample
                    )
                }
            }
            var out: [RunReport] = []
            for try await (report, sample) in group {
                tracker.ended(report)
                printer.above {
                    print(json ? report.json() : report.rendered() + "\n")
                    if let sample, !json {
                        print(
                            "dry run: nothing was written; the sample:"
                                + SampleReport.render(sample.sampled, pipeline: report.pipeline) + "\n")
                    }
                    StandardOutput.flush()  // into a file or pipe too, as each pipeline ends
                }
                out.append(report)
            }
            return out
        }
        return reports.allSatisfy(\.succeeded)
    }

    /// A runner per pipeline, sharing the limiters, the progress printer and the log.
    private static func plan(
        _ pipelines: [String], project: ProjectSpec, destinations: ProjectDestinations, destination: String?,
        settings: RunSettings, tracker: RunTracker, printer: ProgressPrinter
    ) throws -> [Planned] {
        let limiters = RequestLimiters(project: project, share: settings.share)
        if let budget = RateBudgetHeader.line(pipelines, project: project, settings: settings, limiters: limiters) {
            printer.say(budget)
        }
        let logger = try settings.output.logger(project: project, printer: printer)
        return try pipelines.map { name in
            let real = ScaleOut.inLane(try destinations.forPipeline(name, override: destination), settings.scope)
            let sample = settings.sample.map { _ in SampleDestination(borrowing: real) }
            let target: any Destination = sample ?? real
            printer.say("\(name) → \(target.name)")
            tracker.register(name, resumable: target.capabilities.resumesKilledLoads)
            var log = logger
            log?[metadataKey: "pipeline"] = "\(name)"
            let progress = tracker.reporter(for: name, printing: printer, log: log)
            var runner = PipelineRunner(project: project, destination: target, progress: progress, limiters: limiters)
            if let log { runner.logger = log }
            runner.pageLimit = settings.sample
            return Planned(name: name, runner: runner, sample: sample)
        }
    }
}
