import APISandbox
import ConnectorKit
import Foundation
import PostgresDestination
import Testing

/// Shards and tenants as real processes into one PostgreSQL (docs/scale-out.md). Plain
/// processes on one host; scripts/test-netns runs them as hosts of their own (network namespaces).
@Suite("Shards and tenants: many processes into one PostgreSQL", .serialized)
struct ScaleOutTests {
    static let url = ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"]

    /// Digests of every table of `dataset`, and its state rows (resource, key, value).
    static func contents(_ dataset: String, pipeline: String) async throws -> (
        tables: [String: String], state: [String]
    ) {
        let reader = try await PostgresDestination(url: url ?? "", dataset: dataset).openDataset(pipeline: pipeline)
        let tables = try await tableDigests(reader)
        let state = try await reader.query(
            "SELECT resource, key, value FROM \(BookkeepingTable.state) ORDER BY resource, key"
        ).rows.map { $0.map { $0 ?? "∅" }.joined(separator: "|") }
        await reader.close()
        return (tables, state)
    }

    static func run(_ arguments: [String], dataset: String, project: String) -> [String] {
        ["run", "clari_copilot", "--project", project, "--destination", "postgres", "--dataset", dataset] + arguments
    }

    @Test(
        "4 shards run at once load exactly what one process loads, children and state included",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func fourShardsEqualOneRun() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: 1))
        let project = temporaryDirectory("shards")
        try copyProject(to: project)
        let id = UUID().uuidString.prefix(6).lowercased()
        let env = server.environment
        let single = try runConnector(
            Self.run([], dataset: "one_\(id)", project: project), in: project, environment: env)
        let singleRequests = server.api.requestLog.count
        let shards = try runConnectors(
            (0..<4).map { (Self.run(["--shard", "\($0)/4"], dataset: "four_\(id)", project: project), env) },
            in: project)
        // Each unit was read by one shard only: together they asked the API what one run asks.
        #expect(server.api.requestLog.count - singleRequests == singleRequests)
        await server.shutdown()
        #expect(single.status == 0, "\(single.errors)")
        for (i, shard) in shards.enumerated() { #expect(shard.status == 0, "shard \(i): \(shard.errors)") }
        let one = try await Self.contents("one_\(id)", pipeline: "clari_copilot")
        let four = try await Self.contents("four_\(id)", pipeline: "clari_copilot")
        #expect(one.tables["calls"] != nil && one.tables["call_details"] != nil, "\(one.tables)")
        #expect(four.tables == one.tables)
        #expect(four.state == one.state)
        #expect(one.state.count > 4)  // a cursor per window
    }

    @Test(
        "8 tenants at once, each with its own credentials and data, each equal to its run alone",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func eightTenants() async throws {
        var servers: [SandboxServer] = []
        for tenant in 0..<8 {
            let keys = SandboxCredentials(
                apiKey: "core-\(tenant)", partnerKey: "partner-\(tenant)", copilotKey: "copilot-key-\(tenant)",
                copilotPassword: "copilot-password-\(tenant)")
            servers.append(
                try await SandboxServer.start(SandboxConfiguration(seed: UInt64(100 + tenant), credentials: keys)))
        }
        let project = temporaryDirectory("tenants")
        try copyProject(to: project)
        let id = UUID().uuidString.prefix(6).lowercased()
        let together = try runConnectors(
            servers.enumerated().map {
                (Self.run([], dataset: "t\($0.offset)_\(id)", project: project), $0.element.environment)
            },
            in: project)
        // Two tenants again, alone, for comparison.
        let alone = try [0, 7].map {
            try runConnector(
                Self.run([], dataset: "alone\($0)_\(id)", project: project), in: project,
                environment: servers[$0].environment)
        }
        let logs = servers.map { $0.api.requestLog.count }
        for server in servers { await server.shutdown() }
        for (i, run) in (together + alone).enumerated() { #expect(run.status == 0, "run \(i): \(run.errors)") }
        #expect(logs.allSatisfy { $0 > 0 })  // every tenant's own host was asked (with its own keys, or it fails)
        var digests: [[String: String]] = []
        for tenant in 0..<8 {
            digests.append(try await Self.contents("t\(tenant)_\(id)", pipeline: "clari_copilot").tables)
        }
        #expect(Set(digests.map { $0["calls"] ?? "" }).count == 8)  // different seeds, no rows crossed
        #expect(try await Self.contents("alone0_\(id)", pipeline: "clari_copilot").tables == digests[0])
        #expect(try await Self.contents("alone7_\(id)", pipeline: "clari_copilot").tables == digests[7])
    }
}
