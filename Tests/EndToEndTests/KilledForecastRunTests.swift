import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The real binary killed while forecast export jobs are in flight. The rerun adopts the jobs
/// the killed run left (they still count against the API's concurrency limit) before it
/// creates any, and ends equal to a clean run.
@Suite("Killed forecast runs", .serialized)
struct KilledForecastRunTests {
    let runs = KilledRunTests()

    /// `limit`: the sandbox's concurrency limit. At 3 (Clari's, and our `max_concurrent`) one job
    /// too many is refused; above it, nothing is refused but the peak shows what we kept.
    @Test(
        "a rerun after a kill with three jobs in flight adopts them first, stays under max_concurrent, equals a clean run",
        arguments: [3, 10])
    func killWithJobsInFlight(limit: Int) async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: KilledRunTests.binary),
            "build the connector first (scripts/test does)")
        let server = try await SandboxServer.start(SandboxConfiguration(concurrentLimit: limit, latency: 0.01))
        defer { Task { await server.shutdown() } }
        let expected = try await runs.cleanRun(
            server, in: temporaryDirectory("forecast-clean"), pipeline: "clari_forecast")
        #expect(expected["forecast_entries"] != nil)

        let (dir, ready) = try await killWithThreeJobsInFlight(server)
        #expect(ready, "the run should be killed with three jobs in flight")
        let left = server.api.jobCounts
        #expect(left.inFlight == 3, "the killed run leaves its jobs running at the API")
        #expect(try await savedJobs(dir) == left.inFlightJobs.sorted(), "the run knew every job it had in flight")

        let report = dir + "/rerun.json"
        let rerun = try runs.start(server, in: dir, output: report, pipeline: "clari_forecast")
        rerun.waitUntilExit()
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        #expect(rerun.terminationStatus == 0, "\(text)")
        let counts = server.api.jobCounts
        #expect(counts.refused == left.refused, "no export may be refused: the rerun keeps under the limit itself")
        #expect(counts.peakInFlight <= 3, "at most max_concurrent (3) jobs in flight, counting the adopted ones")
        var final = try await runs.snapshot(dir, pipeline: "clari_forecast")
        final["_loads"] = nil
        #expect(final.keys.sorted() == expected.keys.sorted())
        for (table, rows) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(final[table] == rows, "\(table) differs from a clean run")
        }
    }

    /// Starts the forecast pipeline and kills it once a result was downloaded and the three jobs in
    /// flight are those the run has saved: the process is frozen to look (requests on their way
    /// land meanwhile), and let go again until then. On a loaded machine a sleep of this test may
    /// outlast the whole run, which then ends before it was seen so: another run is started (at
    /// most three). Returns the killed run's folder and whether it was killed so.
    func killWithThreeJobsInFlight(_ server: SandboxServer) async throws -> (dir: String, ready: Bool) {
        var dir = ""
        var ready = false
        for attempt in 1...3 where !ready {
            dir = temporaryDirectory("forecast-killed-\(attempt)")
            server.api.clearRequestLog()
            let killed = try runs.start(server, in: dir, pipeline: "clari_forecast")
            let deadline = ContinuousClock.now + .seconds(60)
            while !ready, killed.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
                kill(killed.processIdentifier, SIGSTOP)
                try await Task.sleep(for: .milliseconds(30))
                let saved = (try? await savedJobs(dir)) ?? []  // its tables may not exist yet
                let inFlight = server.api.jobCounts.inFlightJobs
                ready =
                    server.api.requestLog.contains { $0.hasSuffix("/results") } && inFlight.count == 3
                    && saved == inFlight.sorted()
                if !ready { kill(killed.processIdentifier, SIGCONT) }
            }
            if killed.isRunning { kill(killed.processIdentifier, SIGKILL) }
            killed.waitUntilExit()
        }
        return (dir, ready)
    }

    /// Ids of the export jobs the run has saved in its state (committed; read while it is frozen).
    func savedJobs(_ dir: String) async throws -> [String] {
        let destination = SQLiteDestination(pathTemplate: dir + "/data/{pipeline}.sqlite")
        guard FileManager.default.fileExists(atPath: destination.path(for: "clari_forecast")) else { return [] }
        let dataset = try await destination.openDataset(pipeline: "clari_forecast")
        defer { Task { await dataset.close() } }
        return try await dataset.query("SELECT value FROM _connector_state WHERE key LIKE 'job%'").rows.compactMap {
            $0.first ?? nil
        }.sorted()
    }
}
