import ArgumentParser
import ConnectorKit
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

    func run() async throws {
        let project = try options.load()
        let ok = try await Runs.execute(pipelines, project: project, destinations: options.destinations(project),
                                        destination: destination, resources: resources, json: json, fullRefresh: fullRefresh)
        if !ok { throw ExitCode(1) }
    }
}

/// Shared by `run` and `demo`: runs pipelines side by side (sources on the same origin share
/// one rate and concurrency limit) and prints their reports in the order given.
enum Runs {
    static func execute(_ pipelines: [String], project: ProjectSpec, destinations: DestinationFactory, destination: String?,
                        resources: [String], json: Bool, fullRefresh: Bool = false) async throws -> Bool {
        var runs: [(String, PipelineRunner)] = []
        let limiters = RequestLimiters(project: project)
        for name in pipelines {
            let target = try destinations.forPipeline(name, override: destination)
            if !json { ProgressPrinter.err("\(name) → \(target.name)") }
            runs.append((name, PipelineRunner(project: project, destination: target, progress: ProgressPrinter(quiet: json).reporter, limiters: limiters)))
        }
        let only = resources.isEmpty ? nil : resources
        let reports = try await withThrowingTaskGroup(of: (Int, RunReport).self) { group in
            for (i, (name, runner)) in runs.enumerated() {
                group.addTask { (i, try await runner.run(name, resources: only, fullRefresh: fullRefresh)) }
            }
            var out: [(Int, RunReport)] = []
            for try await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for report in reports { print(json ? report.json() : report.rendered() + "\n") }
        return reports.allSatisfy(\.succeeded)
    }
}
