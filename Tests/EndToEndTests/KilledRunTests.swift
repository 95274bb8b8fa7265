import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The real `connector` binary, killed with SIGKILL at several points of a run: the
/// destination is always either as before the run or as after a complete one, and a rerun
/// ends equal to a clean run.
@Suite("Killed runs", .serialized)
struct KilledRunTests {
    static var binary: String { connectorBinary }

    /// Starts `connector run <pipeline>` on a copy of the project in `dir` (its data/ goes there).
    func start(_ server: SandboxServer, in dir: String, output: String? = nil, pipeline: String = "clari_copilot")
        throws -> Process
    {
        if !FileManager.default.fileExists(atPath: dir + "/sources.yaml") { try copyProject(to: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["run", "--project", dir, pipeline, "--json"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env.merge(server.environment) { $1 }
        p.environment = env
        if let output {
            FileManager.default.createFile(atPath: output, contents: nil)
            p.standardOutput = FileHandle(forWritingAtPath: output)
        } else {
            p.standardOutput = FileHandle.nullDevice
        }
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Every data table's rows (without the load id), sorted and digested, plus the number of
    /// loads: one comparable value per table.
    func snapshot(_ dir: String, pipeline: String = "clari_copilot") async throws -> [String: String] {
        let destination = SQLiteDestination(pathTemplate: dir + "/data/{pipeline}.sqlite")
        guard FileManager.default.fileExists(atPath: destination.path(for: pipeline)) else { return ["_loads": "0"] }
        let dataset = try await destination.openDataset(pipeline: pipeline)
        var out = try await tableDigests(dataset)
        let loads = try await dataset.query("SELECT count(*) FROM _connector_loads").rows.first?.first ?? "0"
        out["_loads"] = loads ?? "0"
        return out
    }

    /// A run left alone: what every interrupted run must end up equal to (load count aside).
    func cleanRun(_ server: SandboxServer, in dir: String, pipeline: String = "clari_copilot") async throws -> [String:
        String]
    {
        let reference = try start(server, in: dir, pipeline: pipeline)
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)
        var tables = try await snapshot(dir, pipeline: pipeline)
        tables["_loads"] = nil
        return tables
    }

    @Test("SIGKILL at several points leaves no partial load, and a rerun equals a clean run")
    func killAndRerun() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.binary), "build the connector first (scripts/test does)")
        let server = try await SandboxServer.start(SandboxConfiguration(latency: 0.02))
        defer { Task { await server.shutdown() } }

        let expected = try await cleanRun(server, in: temporaryDirectory("clean"))
        #expect(expected["calls"]?.hasPrefix("\(server.api.dataset.callCount) rows") == true)

        let dir = temporaryDirectory("killed")
        var killedMidRun = 0
        for delay in [0.2, 0.6, 1.0, 1.4] {
            let before = try await snapshot(dir)
            let p = try start(server, in: dir)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            let wasRunning = p.isRunning
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            var after = try await snapshot(dir)
            if wasRunning && after == before { killedMidRun += 1; continue }
            // Killed after its commit: then it must be a complete load.
            after["_loads"] = nil
            #expect(after == expected, "killed at \(delay) s: the destination holds a partial load")
        }
        #expect(killedMidRun >= 2, "the kills should land inside runs")

        let rerun = try start(server, in: dir)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        var final = try await snapshot(dir)
        final["_loads"] = nil
        #expect(final.keys.sorted() == expected.keys.sorted())
        for (table, rows) in expected { #expect(final[table] == rows, "\(table) differs from the clean run") }
        #expect(
            !FileManager.default.fileExists(atPath: dir + "/data/clari_copilot.sqlite.staging"),
            "no scratch file after a good run")
    }

    @Test("A run killed mid-pagination resumes where it stopped: staged pages are neither fetched nor loaded again")
    func resumeAfterKill() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.binary), "build the connector first (scripts/test does)")
        let server = try await SandboxServer.start(SandboxConfiguration(latency: 0.03))
        defer { Task { await server.shutdown() } }

        server.api.clearRequestLog()
        let expected = try await cleanRun(server, in: temporaryDirectory("resume-clean"))
        let cleanRequests = server.api.requestLog.count

        let dir = temporaryDirectory("resume-killed")
        let staging = dir + "/data/clari_copilot.sqlite.staging"
        let killed = try start(server, in: dir)
        let deadline = ContinuousClock.now + .seconds(60)
        while killed.isRunning, ContinuousClock.now < deadline, await stagedPages(staging) < 40 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(killed.isRunning, "the run should still be paging when it is killed")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let staged = await stagedPages(staging)
        #expect(staged >= 40)
        #expect(try await snapshot(dir)["_loads"] == "0", "nothing is published by a killed run")

        server.api.clearRequestLog()
        let report = dir + "/rerun.json"
        let rerun = try start(server, in: dir, output: report)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        let rerunRequests = server.api.requestLog.count
        // Every staged page stands for one request the rerun does not make again.
        #expect(
            rerunRequests <= cleanRequests - staged,
            "rerun made \(rerunRequests) requests; a clean run makes \(cleanRequests), \(staged) pages were staged")
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        #expect(text.contains("resumed the interrupted load"))

        var final = try await snapshot(dir)
        #expect(final["_loads"] == "1")
        final["_loads"] = nil
        #expect(final.keys.sorted() == expected.keys.sorted())
        for (table, rows) in expected { #expect(final[table] == rows, "\(table) differs from a clean run") }
        #expect(!FileManager.default.fileExists(atPath: staging), "no scratch file after the resumed run")
    }
}
