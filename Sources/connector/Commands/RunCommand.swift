import ArgumentParser
import ConnectorKit
import FileDestination
import Foundation
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one or more pipelines.")

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Pipelines to run, in order (see `connector list`).")
    var pipelines: [String]
    @Option(help: "Destination name from destinations/ (default: the pipeline's own).")
    var destination: String?
    @Option(name: .customLong("resource"), help: "Run only this resource (repeatable); parents it needs run too.")
    var resources: [String] = []
    @Flag(help: "Print the run report as JSON on standard output.")
    var json = false
    @Flag(help: "Ignore stored cursors and jobs, and replace the resources' tables with what this run reads.")
    var fullRefresh = false
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let project = try options.load()
        let ok = try await Runs.execute(
            pipelines, project: project, destinations: options.destinations(project),
            destination: destination,
            settings: RunSettings(resources: resources, json: json, fullRefresh: fullRefresh, output: output))
        if !ok { throw ExitCode(1) }
    }
}

/// What `run` (and `demo`) was asked for besides the pipelines and where they load.
struct RunSettings {
    var resources: [String] = []
    var json = false
    var fullRefresh = false
    var output = OutputOptions()
}

/// Shared by `run` and `demo`: runs pipelines side by side (sources on the same origin share
/// one rate and concurrency limit) and prints each report when its pipeline ends. SIGINT and
/// SIGTERM stop the run, saying what committed and what resumes (InterruptSignals).
enum Runs {
    static func execute(
        _ pipelines: [String], project: ProjectSpec, destinations: DestinationFactory, destination: String?,
        settings: RunSettings
    ) async throws -> Bool {
        var runs: [(String, PipelineRunner)] = []
        let limiters = RequestLimiters(project: project)
        let tracker = RunTracker()
        let printer = ProgressPrinter(quiet: settings.json, interval: settings.output.progressInterval)
        defer { printer.stop() }
        let logger = try settings.output.logger(project: project, printer: printer)
        for name in pipelines {
            let target = try destinations.forPipeline(name, override: destination)
            printer.say("\(name) → \(target.name)")
            tracker.register(name, resumable: !(target is FileDestination))
            var log = logger
            log?[metadataKey: "pipeline"] = "\(name)"
            let progress = tracker.reporter(for: name, printing: printer, log: log)
            var runner = PipelineRunner(project: project, destination: target, progress: progress, limiters: limiters)
            if let log { runner.logger = log }
            runs.append((name, runner))
        }
        let only = settings.resources.isEmpty ? nil : settings.resources
        let (json, fullRefresh) = (settings.json, settings.fullRefresh)
        let signals = InterruptSignals { tracker.interruptionSummary(signal: $0) }
        defer { signals.remove() }
        let reports = try await withThrowingTaskGroup(of: RunReport.self) { group in
            for (name, runner) in runs {
                group.addTask { try await runner.run(name, resources: only, fullRefresh: fullRefresh) }
            }
            var out: [RunReport] = []
            for try await report in group {
                tracker.ended(report)
                printer.above {
                    print(json ? report.json() : report.rendered() + "\n")
                    StandardOutput.flush()  // into a file or pipe too, as each pipeline ends
                }
                out.append(report)
            }
            return out
        }
        return reports.allSatisfy(\.succeeded)
    }
}
