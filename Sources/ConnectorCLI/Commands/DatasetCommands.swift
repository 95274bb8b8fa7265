import ArgumentParser
import ConnectorKit
import Foundation

/// One pipeline's dataset, opened for a read command.
struct DatasetOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions
    @Argument(help: "Pipeline name (see `connector list`).") var pipeline: String
    @Option(help: "Destination name (default: the pipeline's own).") var destination: String?
    @OptionGroup var demo: DemoDatasetOption

    func open() async throws -> (any DatasetReader, any Destination) {
        let spec = try project.load()
        let target = try demo.destinations(project, spec).forPipeline(pipeline, override: destination)
        return (try await target.openDataset(pipeline: pipeline), target)
    }
}

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Tables, columns, types and keys of a pipeline's dataset, as YAML.")
    @OptionGroup var options: DatasetOptions

    func run() async throws {
        let (dataset, _) = try await options.open()
        let result = try await dataset.query(
            """
            SELECT s.table_name, s.version, s.resource, s.parent_table, s.disposition, s.primary_key, s.columns
            FROM \(BookkeepingTable.schema) s
            WHERE s.version = (SELECT max(version) FROM \(BookkeepingTable.schema) v WHERE v.table_name = s.table_name)
            ORDER BY s.root_table, s.table_name
            """)
        print("pipeline: \(options.pipeline)\ntables:")
        for row in result.rows {
            let columns = (try? JSONDecoder().decode([Column].self, from: Data((row[6] ?? "[]").utf8))) ?? []
            let key = (try? JSONDecoder().decode([String].self, from: Data((row[5] ?? "[]").utf8))) ?? []
            print("  \(row[0] ?? ""):")
            print("    version: \(row[1] ?? "1")")
            print("    resource: \(row[2] ?? "")")
            if let parent = row[3] { print("    parent: \(parent)") }
            print("    write_disposition: \(row[4] ?? "")")
            if !key.isEmpty { print("    primary_key: [\(key.joined(separator: ", "))]") }
            print("    columns:")
            for c in columns { print("      \(c.name): \(c.type.rawValue)") }
        }
        await dataset.close()
    }
}

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Stored state: incremental cursors and jobs in flight, per resource and partition.")
    @OptionGroup var options: DatasetOptions

    func run() async throws {
        let (dataset, _) = try await options.open()
        let entries = try await Bookkeeping.state(dataset, pipeline: options.pipeline)
        print(
            TextTable.render(
                [["resource", "key", "value", "updated_at"]]
                    + entries.map { [$0.resource, $0.key, $0.value, $0.updatedAt] }))
        await dataset.close()
    }
}

struct LoadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loads", abstract: "Load history: status, rows and schema changes of each run.")
    @OptionGroup var options: DatasetOptions
    @Option(help: "How many loads, newest first.") var limit: Int = 20

    struct Detail: Decodable {
        let resource: String
        let status: String
        let schema_changes: [String]
        let message: String?
    }

    func run() async throws {
        let (dataset, _) = try await options.open()
        let loads = try await Bookkeeping.loads(dataset, limit: limit)
        print(
            TextTable.render(
                [["load_id", "status", "rows", "started_at", "finished_at"]]
                    + loads.map { [$0.loadId, $0.status, String($0.rows), $0.startedAt, $0.finishedAt] }))
        for load in loads {
            let details = (try? JSONDecoder().decode([Detail].self, from: Data(load.details.utf8))) ?? []
            for d in details {
                if let m = d.message { print("  \(load.loadId) \(d.resource) \(d.status): \(m)") }
                for c in d.schema_changes where !c.hasPrefix("new table") {
                    print("  \(load.loadId) \(d.resource) schema: \(c)")
                }
            }
        }
        await dataset.close()
    }
}

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract:
            "Forget stored state (cursors, jobs in flight) so the next run starts from the initial values; loaded data stays."
    )
    @OptionGroup var project: ProjectOptions
    @Argument var pipeline: String
    @Option(help: "Only this resource.") var resource: String?
    @Option(help: "Destination name (default: the pipeline's own).") var destination: String?
    @OptionGroup var demo: DemoDatasetOption

    func run() async throws {
        let spec = try project.load()
        let target = try demo.destinations(project, spec).forPipeline(pipeline, override: destination)
        guard let p = spec.pipeline(named: pipeline) else { return }  // forPipeline has checked it
        if let resource, spec.source(named: p.source)?.resource(named: resource) == nil {
            throw ValidationError(
                PipelineError.unknownResource(
                    resource, known: spec.source(named: p.source)?.resources.map(\.name) ?? []
                ).description)
        }
        let removed = try await target.resetState(pipeline: pipeline, resource: resource)
        print(
            "removed \(removed) state entr\(removed == 1 ? "y" : "ies") of \(pipeline)\(resource.map { "/\($0)" } ?? "")"
        )
    }
}
