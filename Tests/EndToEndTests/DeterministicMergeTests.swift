import APISandbox
import ConnectorKit
import Foundation
import PostgresDestination
import SQLiteDestination
import Testing

/// The same data gives the same tables: when a merge key comes from several work items (a
/// forecast's fields and users repeat in every quarter), the winner is decided by the items'
/// order — the newest partition — never by the order in which their export jobs finish.
@Suite("Merged rows do not depend on job completion order", .serialized)
struct DeterministicMergeTests {
    enum Kind: String, CaseIterable, Sendable { case sqlite, postgres }

    static var kinds: [Kind] {
        ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] == nil ? [.sqlite] : Kind.allCases
    }

    func destination(_ kind: Kind) throws -> any Destination {
        switch kind {
        case .sqlite:
            return SQLiteDestination(pathTemplate: temporaryDirectory("determinism") + "/{pipeline}.sqlite")
        case .postgres:
            return try PostgresDestination(
                url: ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] ?? "",
                dataset: "det_\(UUID().uuidString.prefix(6).lowercased())_{pipeline}")
        }
    }

    /// A clean forecast run against a sandbox whose jobs take `extraPolls` more polls; the
    /// tables' digests and the order in which job results were downloaded.
    func cleanRun(_ kind: Kind, extraPolls: [Int]) async throws -> (
        digests: [String: String], downloads: [String], newest: [String]
    ) {
        let server = try await SandboxServer.start(SandboxConfiguration(extraPolls: extraPolls))
        let destination = try destination(kind)
        let report: RunReport
        do {
            report = try await PipelineRunner(project: try projectSpec(for: server), destination: destination).run(
                "clari_forecast")
        } catch {
            await server.shutdown()
            throw error
        }
        let downloads = server.api.requestLog.filter { $0.hasSuffix("/results") }
        await server.shutdown()
        #expect(report.outcomes.first?.status == .succeeded, "\(report.rendered())")
        let dataset = try await destination.openDataset(pipeline: "clari_forecast")
        let digests = try await tableDigests(dataset)
        let newest = try await dataset.query("SELECT DISTINCT time_period FROM forecast_fields").rows.compactMap {
            $0.first ?? nil
        }
        await dataset.close()
        return (digests, downloads, newest)
    }

    @Test("two clean forecast runs whose jobs finish in different orders give identical tables", arguments: kinds)
    func twoCleanRuns(_ kind: Kind) async throws {
        let first = try await cleanRun(kind, extraPolls: [])
        // Every forecast's fourth quarter (of five) takes far longer: it finishes after the newest.
        let second = try await cleanRun(kind, extraPolls: [0, 0, 0, 8, 0])
        #expect(first.downloads != second.downloads, "the test needs the jobs to finish in another order")
        #expect(
            first.digests.keys.sorted() == [
                "forecast_entries", "forecast_fields", "forecast_time_frames",
                "forecast_time_periods", "forecast_users",
            ])
        for (table, digest) in first.digests.sorted(by: { $0.key < $1.key }) {
            #expect(second.digests[table] == digest, "\(table) differs between two clean runs")
        }
        // Fields repeat in every quarter: the newest quarter's rows win.
        let quarters = PartitionExpander.fiscalQuarters(
            now: Date(), current: true, previous: 4, fiscalYearStartMonth: 1)
        #expect(first.newest == [quarters.last ?? ""], "\(first.newest)")
        #expect(second.newest == first.newest)
    }
}
