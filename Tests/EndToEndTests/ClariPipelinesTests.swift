import APISandbox
import ConnectorKit
import Foundation
import PostgresDestination
import SQLiteDestination
import Testing

/// The project's own sources.yaml against the sandbox, over real loopback HTTP, into real
/// SQLite files; every count is compared with what the sandbox's generator serves.
@Suite("Clari pipelines against the sandbox", .serialized)
struct ClariPipelinesTests {
    static let pipelines = ["clari_core", "clari_copilot", "clari_forecast"]

    func runAll(faults: FaultMode) async throws -> (
        counts: [String: Int], reports: [RunReport], expected: [String: Int], destination: SQLiteDestination,
        dir: String
    ) {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: 1, faults: faults))
        let dir = temporaryDirectory("e2e-\(faults.rawValue)")
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        var reports: [RunReport] = []
        do {
            let project = try projectSpec(for: server)
            for p in Self.pipelines {
                reports.append(try await PipelineRunner(project: project, destination: destination).run(p))
            }
        } catch {
            await server.shutdown()
            throw error
        }
        let expected = server.api.dataset.expectedCounts()
        await server.shutdown()
        var counts: [String: Int] = [:]
        for p in Self.pipelines { counts.merge(try await tableCounts(destination, p)) { $1 } }
        return (counts, reports, expected, destination, dir)
    }

    @Test("every table holds exactly what the sandbox serves")
    func exactCounts() async throws {
        let run = try await runAll(faults: .none)
        for (table, count) in run.expected.sorted(by: { $0.key < $1.key }) {
            #expect(run.counts[table] == count, "\(table): loaded \(run.counts[table] ?? -1), sandbox serves \(count)")
        }
        for report in run.reports {
            #expect(report.succeeded, "\(report.pipeline): \(report.rendered())")
        }
    }

    @Test("with flaky faults: same counts, no duplicates, and the retries are reported")
    func flakyFaults() async throws {
        let run = try await runAll(faults: .flaky)
        for (table, count) in run.expected.sorted(by: { $0.key < $1.key }) {
            #expect(run.counts[table] == count, "\(table): loaded \(run.counts[table] ?? -1), sandbox serves \(count)")
        }
        let distinct = try await scalar(run.destination, "clari_copilot", "SELECT count(DISTINCT id) FROM calls")
        #expect(distinct == String(run.expected["calls"] ?? -1))
        let retries = run.reports.reduce(0) { $0 + $1.retries }
        #expect(retries > 0, "flaky mode injects faults, so some requests must have been retried")
        for report in run.reports {
            #expect(report.succeeded, "\(report.pipeline): \(report.rendered())")
        }
    }

    @Test("a failed forecast export is reported with its forecast id and the others still load")
    func failedForecastIsReported() async throws {
        let run = try await runAll(faults: .none)
        guard let forecast = run.reports.first(where: { $0.pipeline == "clari_forecast" })?.outcomes.first else {
            Issue.record("no forecast outcome"); return
        }
        let failing = SandboxDataset.forecasts.filter(\.fails).map(\.id)
        #expect(!failing.isEmpty)
        for id in failing {
            #expect(
                forecast.notes.contains { $0.contains("forecast_id=\(id)") && $0.contains("FAILED") },
                "notes: \(forecast.notes)")
        }
        #expect(forecast.rows["forecast_entries"] == run.expected["forecast_entries"])
        let ids = try await tableCounts(run.destination, "clari_forecast")
        #expect(ids["forecast_entries"] ?? 0 > 0)
    }

    @Test("a second run merges: counts stay, nothing duplicates")
    func rerunDoesNotDuplicate() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: 1))
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let project = try projectSpec(for: server)
        _ = try await PipelineRunner(project: project, destination: destination).run("clari_forecast")
        let first = try await tableCounts(destination, "clari_forecast")
        _ = try await PipelineRunner(project: project, destination: destination).run("clari_forecast")
        let second = try await tableCounts(destination, "clari_forecast")
        await server.shutdown()
        #expect(first == second)
        #expect(first["forecast_entries"] == server.api.dataset.expectedCounts()["forecast_entries"])
    }
}

@Suite(
    "Clari pipelines into PostgreSQL", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] != nil,
        "CONNECTOR_POSTGRES_URL not set: run scripts/test to include PostgreSQL"))
struct ClariIntoPostgresTests {
    @Test("the same counts as SQLite: exactly what the sandbox serves")
    func counts() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: 1))
        let destination = try PostgresDestination(
            url: ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] ?? "",
            dataset: "e2e_\(UUID().uuidString.prefix(6).lowercased())_{pipeline}")
        let project = try projectSpec(for: server)
        var counts: [String: Int] = [:]
        for p in ClariPipelinesTests.pipelines {
            let report = try await PipelineRunner(project: project, destination: destination).run(p)
            #expect(report.succeeded, "\(report.rendered())")
            let dataset = try await destination.openDataset(pipeline: p)
            for t in try await dataset.tables() { counts[t.name] = t.rows }
            await dataset.close()
        }
        let expected = server.api.dataset.expectedCounts()
        await server.shutdown()
        for (table, count) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(counts[table] == count, "\(table): loaded \(counts[table] ?? -1), sandbox serves \(count)")
        }
    }
}
