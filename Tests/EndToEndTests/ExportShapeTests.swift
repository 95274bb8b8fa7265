import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// Clari's reference shows an export job's status flat and the job list as a bare array;
/// production clients read `{"job": {…}}` and older notes `{"jobs": […]}`. The project's
/// sources.yaml (`status_path: [job.status, status]`, `data_selector: [jobs, $]`) loads the
/// forecast and audit exports whichever shape the sandbox serves.
@Suite("Export jobs in either shape", .serialized)
struct ExportShapeTests {
    struct Shapes: Sendable, CustomTestStringConvertible {
        let status: JobStatusShape
        let list: JobListShape
        var testDescription: String { "status \(status.rawValue), list \(list.rawValue)" }
    }

    static let shapes = JobStatusShape.allCases.flatMap { s in JobListShape.allCases.map { Shapes(status: s, list: $0) }
    }

    static func sandbox(_ shapes: Shapes) async throws -> SandboxServer {
        var configuration = SandboxConfiguration(pollsUntilDone: 2)
        configuration.jobStatusShape = shapes.status
        configuration.jobListShape = shapes.list
        return try await SandboxServer.start(configuration)
    }

    @Test("forecast exports and the audit export jobs and results load exactly", arguments: shapes)
    func clariPipelines(_ shapes: Shapes) async throws {
        let server = try await Self.sandbox(shapes)
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory("shapes") + "/{pipeline}.sqlite")
        var reports: [RunReport] = []
        do {
            let project = try projectSpec(for: server)
            reports.append(
                try await PipelineRunner(project: project, destination: destination)
                    .run("clari_core", resources: ["export_jobs", "export_job_results"]))
            reports.append(try await PipelineRunner(project: project, destination: destination).run("clari_forecast"))
        } catch {
            await server.shutdown()
            throw error
        }
        let expected = server.api.dataset.expectedCounts()
        await server.shutdown()
        var counts = try await tableCounts(destination, "clari_core")
        counts.merge(try await tableCounts(destination, "clari_forecast")) { $1 }
        let tables = [
            "export_jobs", "export_job_results", "forecast_entries", "forecast_users", "forecast_time_frames",
        ]
        for table in tables {
            #expect(
                counts[table] == expected[table],
                "\(table): loaded \(counts[table] ?? -1), serves \(expected[table] ?? -1)")
        }
        #expect(reports[0].succeeded, "\(reports[0].rendered())")
        // One forecast of the sandbox fails on purpose; the others must load (checked above).
        #expect(reports[1].outcomes.first?.rows["forecast_entries"] == expected["forecast_entries"])
    }

    /// An audit export as an async job (create, poll, download) with the given status path.
    static func auditExport(base: String, statusPath: String) -> String {
        """
        sources:
          audit:
            client:
              base_url: \(base)/v4
              auth: {type: api_key, location: header, name: apikey, api_key: "${KEY}"}
              retry: {max_attempts: 2, base_delay: 10ms, max_delay: 20ms}
            resources:
              - name: audit_export
                endpoint: {method: POST, path: export/audit/events, json: {dateFrom: "2025-01-01T00:00:00Z"},
                           data_selector: items}
                primary_key: [eventTimestamp, actorId, sessionId, event]
                write_disposition: merge
                async_job:
                  job_id_path: jobId
                  poll: {path: "export/jobs/{job_id}", status_path: \(statusPath), interval: 10ms, timeout: 30s}
                  download: {path: "export/jobs/{job_id}/results"}
        pipelines:
          audit: {source: audit}
        """
    }

    @Test("an audit export job loads in either status shape; one status path alone fails on the other shape")
    func auditExportJob() async throws {
        for status in JobStatusShape.allCases {
            for path in ["[job.status, status]", "job.status"] {
                let server = try await Self.sandbox(Shapes(status: status, list: .array))
                let destination = SQLiteDestination(pathTemplate: temporaryDirectory("audit") + "/{pipeline}.sqlite")
                let project = try SpecLoader(environment: ["KEY": SandboxCredentials.demo.apiKey])
                    .parseSources(Self.auditExport(base: server.baseURL, statusPath: path), file: "audit.yaml")
                let report = try await PipelineRunner(project: project, destination: destination).run("audit")
                let served = server.api.dataset.exportJobResultCount(job: 1)
                await server.shutdown()
                let outcome = try #require(report.outcomes.first)
                if path == "job.status" && status == .flat {
                    #expect(outcome.status == .failed)
                    #expect(
                        outcome.message?.contains("no job status at 'job.status'") == true, "\(outcome.message ?? "")")
                } else {
                    #expect(report.succeeded, "\(status) \(path): \(report.rendered())")
                    #expect(try await tableCounts(destination, "audit")["audit_export"] == served)
                }
            }
        }
    }
}
