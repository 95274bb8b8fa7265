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
        let ok = try await Runs.execute(pipelines, project: project, destination: destination, resources: resources, json: json,
                                        fullRefresh: fullRefresh)
        if !ok { throw ExitCode(1) }
    }
}

/// Shared by `run` and `demo`: runs pipelines in order and prints their reports.
enum Runs {
    static func execute(_ pipelines: [String], project: ProjectSpec, destination: String?, resources: [String], json: Bool,
                        fullRefresh: Bool = false) async throws -> Bool {
        var ok = true
        for name in pipelines {
            guard project.pipeline(named: name) != nil else { throw ValidationError(PipelineError.unknownPipeline(name, known: project.pipelines.map(\.name)).description) }
            let target = try DestinationFactory.forPipeline(name, override: destination, project: project)
            if !json { ProgressPrinter.err("\(name) → \(target.name)") }
            let runner = PipelineRunner(project: project, destination: target, progress: ProgressPrinter(quiet: json).reporter)
            let report = try await runner.run(name, resources: resources.isEmpty ? nil : resources, fullRefresh: fullRefresh)
            print(json ? report.json() : report.rendered() + "\n")
            ok = ok && report.succeeded
        }
        return ok
    }
}
