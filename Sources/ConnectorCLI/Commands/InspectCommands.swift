import ArgumentParser
import ConnectorKit
import Foundation

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List pipelines, their sources and resources.")
    @OptionGroup var options: ProjectOptions

    func run() async throws {
        let project = try options.load()
        for p in project.pipelines {
            let resources = project.source(named: p.source)?.resources.map(\.name) ?? []
            print("\(p.name)  (source \(p.source) → \(p.destination))")
            print("  " + resources.joined(separator: ", "))
        }
    }
}

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check sources.yaml and destinations/ without running anything.")
    @OptionGroup var options: ProjectOptions

    func run() async throws {
        do {
            let project = try options.load()
            let resources = project.sources.reduce(0) { $0 + $1.resources.count }
            print(
                "ok: \(project.sources.count) sources, \(resources) resources, \(project.pipelines.count) pipelines, \(project.destinations.count) destinations"
            )
            let missing = Set(project.sources.flatMap { $0.unsetVariables }).sorted()
            if !missing.isEmpty { print("note: not set in this environment: \(missing.joined(separator: ", "))") }
        } catch let error as SpecError {
            ProgressPrinter.err(error.description)
            throw ExitCode(2)
        }
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Tables, row counts and the last load of pipelines.")
    @OptionGroup var options: ProjectOptions
    @Argument(help: "Pipelines to show (default: all).") var pipelines: [String] = []
    @Option(help: "Destination name (default: the pipeline's own).") var destination: String?
    @OptionGroup var demo: DemoDatasetOption

    func run() async throws {
        let project = try options.load()
        let names = pipelines.isEmpty ? project.pipelines.map(\.name) : pipelines
        let destinations = try demo.destinations(options, project)
        for name in names {
            print(try await Summary.render(name, destinations: destinations, destination: destination))
        }
    }
}

/// Tables with counts and the last load of one pipeline.
enum Summary {
    static func render(_ pipeline: String, destinations: ProjectDestinations, destination: String?) async throws
        -> String
    {
        let target = try destinations.forPipeline(pipeline, override: destination)
        let dataset: any DatasetReader
        do { dataset = try await target.openDataset(pipeline: pipeline) } catch { return "\(pipeline): \(error)\n" }
        defer { Task { await dataset.close() } }
        var rows: [[String]] = [["table", "rows"]]
        for t in try await dataset.tables() { rows.append([t.name, String(t.rows)]) }
        var text =
            "\(pipeline) (\(target.name)\(destinations.placement.demo ? ", demo" : ""))\n" + TextTable.render(rows)
        if let l = try? await Bookkeeping.loads(dataset, limit: 1).first {
            text += "\nlast load: \(l.loadId) \(l.status) — \(l.rows) rows at \(l.finishedAt)"
        }
        return text + "\n"
    }
}

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Run SQL against a pipeline's dataset and print the result.")
    @OptionGroup var options: ProjectOptions
    @Argument var pipeline: String
    @Argument var sql: String
    @Option var destination: String?
    @OptionGroup var demo: DemoDatasetOption
    @Option(help: "Output: table (aligned), csv (RFC 4180) or json (objects; values as text, NULL as null).")
    var format: QueryFormat = .table

    func run() async throws {
        let project = try options.load()
        let target = try demo.destinations(options, project).forPipeline(pipeline, override: destination)
        guard target.capabilities.supportsSQL else {
            throw ValidationError(
                "destination '\(target.name)' has no SQL (it writes files); query a sqlite or postgres destination")
        }
        let dataset = try await target.openDataset(pipeline: pipeline)
        let result = try await dataset.query(sql)
        print(format.render(result))
        await dataset.close()
    }
}
