import APISandbox
import ConnectorKit
import Foundation
import PostgresDestination
import Testing

/// A shard SIGKILLed mid-load (after it staged rows) among 4 running at once, then finished by
/// its own rerun or taken over by another shard's `--take-over-after` (docs/scale-out.md,
/// "Leases"): the tables equal one process's run, and the killed load is published once.
@Suite("Killed shards: rerun, or taken over by another shard", .serialized)
struct ShardTakeOverTests {
    static let url = ScaleOutTests.url

    /// What the 4-shard round left: the dataset, the project, and the load id the killed shard's lease named.
    struct KilledRound {
        let dataset: String
        let project: String
        let killedLoad: String
    }

    /// One process's run (an unpaced sandbox with the same data), then 4 shards at once against
    /// `slow`, shard `victim` SIGKILLed as soon as its staging holds calls.
    static func killedRound(victim: Int, slow: SandboxServer, tag: String) async throws
        -> (KilledRound, [String: String])
    {
        let fast = try await SandboxServer.start(SandboxConfiguration())
        let project = temporaryDirectory(tag)
        try copyProject(to: project)
        let id = tag + UUID().uuidString.prefix(6).lowercased()
        let single = try runConnector(
            ScaleOutTests.run([], dataset: "one_\(id)", project: project), in: project, environment: fast.environment)
        await fast.shutdown()
        #expect(single.status == 0, "\(single.errors)")
        let expected = try await ScaleOutTests.contents("one_\(id)", pipeline: "clari_copilot").tables

        let dataset = "four_\(id)"
        let shards = try (0..<4).map {
            try start(ScaleOutTests.run(["--shard", "\($0)/4"], dataset: dataset, project: project), in: project, slow)
        }
        let staged = try await waitUntilStaged(dataset: dataset, lane: "s\(victim)of4")
        #expect(staged && shards[victim].isRunning, "shard \(victim) was to be killed mid-load, after staging calls")
        kill(shards[victim].processIdentifier, SIGKILL)
        for shard in shards { shard.waitUntilExit() }
        #expect(shards[victim].terminationReason == .uncaughtSignal)
        for (i, shard) in shards.enumerated() where i != victim { #expect(shard.terminationStatus == 0, "shard \(i)") }
        let lease = try await query(dataset, "SELECT load_id FROM _connector_leases WHERE lane = 's\(victim)of4'")
        #expect(lease.count == 1, "the killed shard's lease stays behind: \(lease)")
        return (KilledRound(dataset: dataset, project: project, killedLoad: lease.first ?? ""), expected)
    }

    /// A `connector` process, started and not waited for (its output is not kept).
    static func start(_ arguments: [String], in dir: String, _ server: SandboxServer) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: connectorBinary)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ProcessInfo.processInfo.environment.merging(server.environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Polls (every 20 ms, at most 60 s) until the lane's staging schema holds calls.
    static func waitUntilStaged(dataset: String, lane: String) async throws -> Bool {
        for _ in 0..<3000 {
            let staged = try? await query(dataset, "SELECT count(*) FROM \"\(dataset)_staging_\(lane)\".calls")
            if let count = staged?.first.flatMap({ Int($0) }), count > 0 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The first column of every row of `sql`, run in `dataset`.
    static func query(_ dataset: String, _ sql: String) async throws -> [String] {
        let reader = try await PostgresDestination(url: url ?? "", dataset: dataset).openDataset(pipeline: "x")
        defer { Task { await reader.close() } }
        return try await reader.query(sql).rows.map { $0.first.flatMap { $0 } ?? "∅" }
    }

    /// The tables equal one process's; no lease is left; the killed load was published, once.
    static func expectComplete(_ round: KilledRound, equal expected: [String: String]) async throws {
        let tables = try await ScaleOutTests.contents(round.dataset, pipeline: "clari_copilot").tables
        #expect(tables == expected)
        #expect(try await query(round.dataset, "SELECT count(*) FROM _connector_leases") == ["0"])
        let published = try await query(
            round.dataset, "SELECT count(*) FROM _connector_loads WHERE load_id = '\(round.killedLoad)'")
        #expect(published == ["1"], "the killed load resumed from its checkpoints and published once")
    }

    @Test(
        "a shard SIGKILLed mid-load and rerun: the rerun resumes its staged load; totals exact, nothing twice",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func killedShardRerun() async throws {
        let slow = try await SandboxServer.start(SandboxConfiguration(latency: 0.1))
        let (round, expected) = try await Self.killedRound(victim: 2, slow: slow, tag: "rerun")
        let rerun = try runConnector(
            ScaleOutTests.run(["--shard", "2/4"], dataset: round.dataset, project: round.project), in: round.project,
            environment: slow.environment)
        await slow.shutdown()
        #expect(rerun.status == 0, "\(rerun.errors)")
        try await Self.expectComplete(round, equal: expected)
    }

    @Test(
        "another shard with --take-over-after adopts a killed shard's load once its lease is older, not before",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func killedShardTakenOver() async throws {
        let slow = try await SandboxServer.start(SandboxConfiguration(latency: 0.1))
        let (round, expected) = try await Self.killedRound(victim: 1, slow: slow, tag: "takeover")
        let shard0 = { (after: String) throws -> BinaryRun in
            try runConnector(
                ScaleOutTests.run(
                    ["--shard", "0/4", "--take-over-after", after], dataset: round.dataset,
                    project: round.project),
                in: round.project, environment: slow.environment)
        }
        // The lease is seconds old: a run that waits an hour for it leaves it alone.
        let early = try shard0("1h")
        #expect(early.status == 0, "\(early.errors)")
        #expect(!early.errors.contains("taking over"), "\(early.errors)")
        #expect(try await ScaleOutTests.contents(round.dataset, pipeline: "clari_copilot").tables != expected)
        try await Task.sleep(for: .milliseconds(1100))
        let late = try shard0("1s")
        await slow.shutdown()
        #expect(late.status == 0, "\(late.errors)")
        #expect(late.errors.contains("taking over shard 1/4 (lane 's1of4')"), "\(late.errors)")
        try await Self.expectComplete(round, equal: expected)
    }
}
