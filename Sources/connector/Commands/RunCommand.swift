import ArgumentParser
import ConnectorKit
import FileDestination
import Foundation

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
    @OptionGroup var scaleOut: ScaleOutOptions
    @OptionGroup var tenant: TenantOptions

    func run() async throws {
        let project = try options.load(environment: try tenant.overrides())
        let ok = try await Runs.execute(
            pipelines, project: project, destinations: options.destinations(project, dataset: try tenant.datasetName()),
            destination: destination, resources: resources, json: json, fullRefresh: fullRefresh,
            scope: try scaleOut.scope())
        if !ok { throw ExitCode(1) }
    }
}

/// Shared by `run` and `demo`: runs pipelines side by side (sources on the same origin share
/// one rate and concurrency limit) and prints each report when its pipeline ends. SIGINT and
/// SIGTERM stop the run, saying what committed and what resumes (InterruptSignals).
enum Runs {
    static func execute(
        _ pipelines: [String], project: ProjectSpec, destinations: DestinationFactory, destination: String?,
        resources: [String], json: Bool, fullRefresh: Bool = false, scope: WorkScope = .all
    ) async throws -> Bool {
        var runs: [(String, PipelineRunner)] = []
        let limiters = RequestLimiters(project: project)
        let tracker = RunTracker()
        for name in pipelines {
            let target = ScaleOut.inLane(try destinations.forPipeline(name, override: destination), scope)
            if !json { ProgressPrinter.err("\(name) → \(target.name)") }
            tracker.register(name, resumable: !(target is FileDestination))
            let progress = tracker.reporter(for: name, printing: ProgressPrinter(quiet: json))
            runs.append(
                (name, PipelineRunner(project: project, destination: target, progress: progress, limiters: limiters)))
        }
        let only = resources.isEmpty ? nil : resources
        let signals = InterruptSignals { tracker.interruptionSummary(signal: $0) }
        defer { signals.remove() }
        let reports = try await withThrowingTaskGroup(of: RunReport.self) { group in
            for (name, runner) in runs {
                group.addTask { try await runner.run(name, resources: only, fullRefresh: fullRefresh, scope: scope) }
            }
            var out: [RunReport] = []
            for try await report in group {
                tracker.ended(report)
                print(json ? report.json() : report.rendered() + "\n")
                StandardOutput.flush()  // into a file or pipe too, as each pipeline ends
                out.append(report)
            }
            return out
        }
        return reports.allSatisfy(\.succeeded)
    }
}
