import ConnectorKit
import Foundation

/// Runs a one-resource source against a test server into an in-memory destination.
enum TestPipeline {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func project(baseURL: String, resourceYAML: String, client: String = "") throws -> ProjectSpec {
        let yaml = """
            sources:
              test:
                client:
                  base_url: \(baseURL)
                  retry: {max_attempts: 4, base_delay: 10ms, max_delay: 50ms}
            \(client)
                resources:
            \(resourceYAML)
            pipelines:
              test: {source: test}
            """
        return try SpecLoader(environment: ["TEST_KEY": "secret-key-123456"]).parseSources(yaml, file: "test.yaml")
    }

    static func rows(baseURL: String, path: String, paginator: PaginatorSpec?) async throws -> (
        rows: Int, requests: Int
    ) {
        var project = try project(baseURL: baseURL, resourceYAML: "      - {name: items, endpoint: {path: \(path)}}")
        project.sources[0].resources[0].endpoint.paginator = paginator
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        guard let outcome = report.outcomes.first, outcome.status == .succeeded else {
            throw Failure(message: report.outcomes.first?.message ?? "no outcome")
        }
        return (outcome.rows["items"] ?? 0, outcome.requests)
    }
}

/// Keeps committed batches in memory: enough for engine tests that need no database.
final class MemoryDestination: Destination, @unchecked Sendable {
    let name = "memory"
    let capabilities = DestinationCapabilities(
        types: [:], maxIdentifierLength: nil, transactionalDDL: true,
        mergeStrategy: .deleteInsert, supportsSQL: false)
    private let lock = NSLock()
    private var _committed: [LoadSummary] = []
    private var _rows: [String: Int] = [:]
    var state: [String: ResourceState] = [:]

    var committed: [LoadSummary] { lock.withLock { _committed } }
    var rows: [String: Int] { lock.withLock { _rows } }

    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession { Session(owner: self) }
    func openDataset(pipeline: String) async throws -> any DatasetReader {
        throw TestPipeline.Failure(message: "not readable")
    }
    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }

    actor Session: LoadSession {
        let owner: MemoryDestination
        var staged: [String: Int] = [:]
        init(owner: MemoryDestination) { self.owner = owner }
        func existingTables() async throws -> [String: [Column]] { [:] }
        func state(resource: String) async throws -> ResourceState {
            owner.lock.withLock { owner.state[resource] ?? ResourceState() }
        }
        func saveState(_ change: StateChange, resource: String) async throws {
            owner.lock.withLock { owner.state[resource] = (owner.state[resource] ?? ResourceState()).applying(change) }
        }
        func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
            for batch in batches { staged[batch.rows.table.name, default: 0] += batch.rows.rows.count }
        }
        func commit(_ load: LoadSummary) async throws {
            let staged = staged
            owner.lock.withLock {
                owner._committed.append(load)
                for (t, n) in staged { owner._rows[t, default: 0] += n }
                for p in load.publications {
                    owner.state[p.resource] = (owner.state[p.resource] ?? ResourceState()).applying(p.state)
                }
            }
        }
        func abort() async {}
    }
}

/// Values appended from a test server's threads, read once the run is over.
final class LockedList<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Element] = []
    func append(_ value: Element) { lock.withLock { values.append(value) } }
    func append(contentsOf more: [Element]) { lock.withLock { values += more } }
    var items: [Element] { lock.withLock { values } }
}
