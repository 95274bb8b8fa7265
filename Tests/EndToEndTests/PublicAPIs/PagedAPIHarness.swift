import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination

/// What the public-API fixtures of the paginators (Stripe, HubSpot, Zendesk) share: a loopback
/// server that answers from the fixture's own data and keeps every request it saw, and runs of
/// a `sources.yaml` snippet into a real SQLite file.
final class PagedAPIServer: Sendable {
    private let server: LoopbackHTTPServer
    private let log: LockedBox<[SandboxRequest]>

    private init(server: LoopbackHTTPServer, log: LockedBox<[SandboxRequest]>) {
        self.server = server
        self.log = log
    }

    /// Starts a server that logs each request, then answers it with `handler`.
    static func start(_ handler: @escaping @Sendable (SandboxRequest) -> SandboxResponse) async throws
        -> PagedAPIServer
    {
        let log = LockedBox([SandboxRequest]())
        let server = try await LoopbackHTTPServer.start { request in
            log.withLock { $0.append(request) }
            return handler(request)
        }
        return PagedAPIServer(server: server, log: log)
    }

    var baseURL: String { server.baseURL }
    /// Every request seen since the last `clearLog`.
    var requests: [SandboxRequest] { log.withLock { $0 } }
    func clearLog() { log.withLock { $0 = [] } }
    func shutdown() async { await server.shutdown() }

    /// A JSON answer (`object` serialized with sorted keys).
    static func json(_ object: Any, status: Int = 200) -> SandboxResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SandboxResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    /// A request's JSON body as a dictionary (empty when it is none).
    static func body(_ request: SandboxRequest) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
    }
}

/// One `sources.yaml` snippet run into a real SQLite file, pipeline by pipeline.
struct PagedAPIProject {
    let runner: PipelineRunner
    let destination: SQLiteDestination

    init(yaml: String, environment: [String: String], test: String = #function) throws {
        let project = try SpecLoader(environment: environment).parseSources(yaml, file: "sources.yaml")
        destination = SQLiteDestination(pathTemplate: temporaryDirectory(test) + "/{pipeline}.sqlite")
        runner = PipelineRunner(project: project, destination: destination)
    }

    /// Runs `pipeline`; every resource must succeed.
    func run(_ pipeline: String, resources: [String]? = nil) async throws -> RunReport {
        let report = try await runner.run(pipeline, resources: resources)
        for outcome in report.outcomes where outcome.status != .succeeded {
            throw PagedAPIFailure(message: "\(outcome.resource): \(outcome.status) \(outcome.message ?? "")")
        }
        return report
    }

    /// Rows of `table` and distinct values of its `id`: equal when a merge left no duplicate.
    func rows(_ pipeline: String, _ table: String) async throws -> (rows: Int?, ids: Int?) {
        (
            try await count(pipeline, "SELECT count(*) FROM \(table)"),
            try await count(pipeline, "SELECT count(DISTINCT id) FROM \(table)")
        )
    }

    /// The single value of `sql` in `pipeline`'s dataset, as an integer.
    func count(_ pipeline: String, _ sql: String) async throws -> Int? {
        try await scalar(destination, pipeline, sql).flatMap { Int($0) }
    }
}

struct PagedAPIFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
