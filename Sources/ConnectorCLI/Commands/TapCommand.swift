import ArgumentParser
import ConnectorKit
import Foundation
import SingerDestination

/// `connector tap <pipeline>`: the pipeline as a Singer tap. SCHEMA, RECORD and STATE messages
/// go to standard output (nothing else does: the report goes to standard error), so any Singer
/// target, or a runner such as Meltano, can load a sources.yaml pipeline.
struct TapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap",
        abstract: "Run a pipeline as a Singer tap: messages on standard output, for any Singer target.")

    @OptionGroup var options: ProjectOptions
    @Argument(help: "The pipeline to read (see `connector list`).")
    var pipeline: String
    @Option(help: ArgumentHelp("The state a target last emitted (resumes incremental resources).", valueName: "FILE"))
    var state: String?
    @Option(help: ArgumentHelp("A Singer catalog: only its selected streams are read and written.", valueName: "FILE"))
    var catalog: String?
    @Flag(help: "Print the pipeline's streams as a Singer catalog (reads a sample page per resource to infer columns).")
    var discover = false
    @Option(help: "With --discover: pages read at most per resource to infer columns. Default 1.")
    var maxPages: Int = 1

    func validate() throws {
        if discover && (state != nil || catalog != nil) {
            throw ValidationError("--discover prints a catalog; it takes neither --state nor --catalog")
        }
        if maxPages < 1 { throw ValidationError("--max-pages must be 1 or more") }
    }

    func run() async throws {
        let project = try options.load()
        if discover {
            try await TapDiscovery.run(pipeline, project: project, maxPages: maxPages)
            return
        }
        let startState = try state.map { path in try SingerState.parse(try Self.read(path), what: path) }
        let selection = try catalog.map { path in try SingerCatalog.selection(try Self.read(path), what: path) }
        let destination = SingerTapDestination(state: startState ?? SingerState(), streams: selection?.streams)
        let runner = PipelineRunner(project: project, destination: destination)
        let resources = try selection.map { try Self.resources($0, pipeline: pipeline, project: project) }
        let report = try await runner.run(pipeline, resources: resources)
        FileHandle.standardError.write(Data((report.rendered() + "\n").utf8))
        if !report.succeeded { throw ExitCode(1) }
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return data
    }

    /// The pipeline's resources a catalog selects; a selected stream naming no resource is an error.
    static func resources(_ selection: SingerCatalog.Selection, pipeline: String, project: ProjectSpec) throws
        -> [String]
    {
        let known = Set(
            project.pipeline(named: pipeline).flatMap { project.source(named: $0.source) }?.resources.map(\.name) ?? [])
        let unknown = selection.resources.subtracting(known)
        guard unknown.isEmpty else {
            throw ValidationError(
                "the catalog selects \(unknown.sorted().joined(separator: ", ")), which pipeline '\(pipeline)' does not "
                    + "have; its resources: \(known.sorted().joined(separator: ", "))")
        }
        guard !selection.resources.isEmpty else { throw ValidationError("the catalog selects no stream") }
        return selection.resources.sorted()
    }
}

/// `tap --discover`: a dry run (a few pages per resource, nothing written, no state read) whose
/// inferred tables become the catalog's streams.
enum TapDiscovery {
    static func run(_ pipeline: String, project: ProjectSpec, maxPages: Int) async throws {
        let sample = SampleDestination(borrowing: SingerTapDestination(state: SingerState()))
        var runner = PipelineRunner(project: project, destination: sample)
        runner.pageLimit = maxPages
        let report = try await runner.run(pipeline)
        guard report.succeeded else {
            FileHandle.standardError.write(Data((report.rendered() + "\n").utf8))
            throw ValidationError("discovery could not read a sample of every resource (the report above says why)")
        }
        let incremental = Set(
            project.pipeline(named: pipeline).flatMap { project.source(named: $0.source) }?.resources
                .filter { $0.endpoint.incremental != nil }.map(\.name) ?? [])
        let streams = sample.sampled.map {
            SingerCatalog.Stream(table: $0.schema, incremental: incremental.contains($0.schema.resource))
        }
        print(SingerCatalog.json(streams))
    }
}
