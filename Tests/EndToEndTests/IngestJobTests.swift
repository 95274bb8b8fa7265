import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The project's `ingest_jobs` resource against the sandbox, one documented answer of
/// `GET /v2/ingest/job/{jobId}` at a time: the job states (200, 202, 400, 500) are rows, with
/// the status column and the validation errors as child rows; 401, 404 and an exhausted 429
/// fail the resource.
@Suite("Ingest job status, every documented answer", .serialized)
struct IngestJobTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let httpStatus: Int
        /// The job's `status` column, or nil when the resource must fail.
        let status: String?
        var testDescription: String { "\(id) → HTTP \(httpStatus)" }
    }

    static let cases: [Case] = [
        Case(id: "ingest-1", httpStatus: 200, status: "SUCCESS"),
        Case(id: "ingest-2", httpStatus: 202, status: "IN_PROGRESS"),
        Case(id: "ingest-3", httpStatus: 400, status: "VALIDATION_ERROR"),
        Case(id: "ingest-4", httpStatus: 500, status: "FAILED"),
        Case(id: "ingest-5", httpStatus: 202, status: "QUEUED"),
        Case(id: "no-such-job", httpStatus: 404, status: nil),
        Case(id: SandboxDataset.throttledIngestId, httpStatus: 429, status: nil),
    ]

    /// Runs `clari_core`'s `ingest_jobs` for the given job ids.
    static func run(ids: String, extra: [String: String] = [:]) async throws -> (
        report: RunReport, destination: SQLiteDestination, log: [String], dataset: SandboxDataset
    ) {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory("ingest") + "/{pipeline}.sqlite")
        do {
            let project = try projectSpec(for: server, extra: ["CLARI_INGEST_JOB_IDS": ids].merging(extra) { $1 })
            let report = try await PipelineRunner(project: project, destination: destination)
                .run("clari_core", resources: ["ingest_jobs"])
            let log = server.api.requestLog
            await server.shutdown()
            return (report, destination, log, server.api.dataset)
        } catch {
            await server.shutdown()
            throw error
        }
    }

    @Test("each documented answer: a row with its status and errors, or a failure naming the status", arguments: cases)
    func answer(_ c: Case) async throws {
        let run = try await Self.run(ids: c.id)
        let outcome = try #require(run.report.outcomes.first { $0.resource == "ingest_jobs" })
        let requests = run.log.filter { $0.contains("/ingest/job/") }.count
        guard let status = c.status else {
            #expect(outcome.status == .failed)
            #expect(outcome.message?.contains("HTTP \(c.httpStatus)") == true, "\(outcome.message ?? "")")
            // Only a 429 is retried (and then fails); a 404 is final at once.
            #expect(c.httpStatus == 429 ? requests > 1 : requests == 1, "requests: \(requests)")
            return
        }
        #expect(outcome.status == .succeeded, "\(run.report.rendered())")
        #expect(requests == 1, "a job's state is an answer, never retried (\(requests) requests)")
        let counts = try await tableCounts(run.destination, "clari_core")
        #expect(counts["ingest_jobs"] == 1)
        #expect(try await scalar(run.destination, "clari_core", "SELECT status FROM ingest_jobs") == status)
        #expect(try await scalar(run.destination, "clari_core", "SELECT job_id FROM ingest_jobs") == c.id)
        let n = try #require(run.dataset.ingestJobNumber(c.id))
        let errors = run.dataset.ingestErrorCount(n)
        #expect((counts["ingest_jobs__message"] ?? 0) == errors)
        if errors > 0 {
            let codes = try await scalar(
                run.destination, "clari_core",
                "SELECT count(*) FROM ingest_jobs__message WHERE error_code = 'INVALID_INPUT_FORMAT' "
                    + "AND error_summary IS NOT NULL")
            #expect(codes == String(errors))
        }
        if c.httpStatus >= 300 {
            #expect(
                outcome.notes.contains { $0.contains("non-2xx answer loaded as data (HTTP \(c.httpStatus) ×1)") },
                "the report counts what was loaded from a non-2xx answer: \(outcome.notes)")
        }
    }

    @Test("all the sandbox's jobs load in one run; a wrong partner key fails with 401")
    func allAndUnauthorized() async throws {
        let all = try await Self.run(ids: SandboxEnvironment.ingestIds.joined(separator: ","))
        #expect(all.report.succeeded, "\(all.report.rendered())")
        let expected = all.dataset.expectedCounts()
        let counts = try await tableCounts(all.destination, "clari_core")
        #expect(counts["ingest_jobs"] == expected["ingest_jobs"])
        #expect(counts["ingest_jobs__message"] == expected["ingest_jobs__message"])
        let statuses = try await all.destination.openDataset(pipeline: "clari_core")
            .query("SELECT status FROM ingest_jobs ORDER BY job_id").rows.compactMap { $0.first ?? nil }
        #expect(statuses == IngestState.allCases.map(\.rawValue))

        let denied = try await Self.run(ids: "ingest-1", extra: ["CLARI_PARTNER_KEY": "wrong"])
        let outcome = try #require(denied.report.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(outcome.message?.contains("HTTP 401") == true, "\(outcome.message ?? "")")
    }
}
