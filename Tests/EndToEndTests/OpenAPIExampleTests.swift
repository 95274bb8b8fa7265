import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The project's sources.yaml against a loopback server that answers with the response
/// examples of Clari's own API reference (`../shared/openapi/clari-revenue.openapi.yml`):
/// every documented answer of the ingest job status, the job list, and a job status polled by
/// the forecast export. SKIPPED, loudly, when the document is not there.
@Suite("Clari's reference examples through sources.yaml", .serialized)
struct OpenAPIExampleTests {
    static let ingestPath = "/ingest/job/{jobId}"

    /// A server answering `/v2/ingest/job/ex-<status>` with the reference's example for that status.
    static func ingestServer(_ document: YAMLNode) async throws -> LoopbackHTTPServer {
        var answers: [String: (Int, String)] = [:]
        for status in ["200", "202", "400", "401", "404", "429", "500"] {
            let example = try OpenAPIExamples.example(document, path: ingestPath, status: status)
            answers["ex-\(status)"] = (Int(status) ?? 0, OpenAPIExamples.json(example))
        }
        let served = answers
        return try await LoopbackHTTPServer.start { request in
            let id = request.path.split(separator: "/").last.map(String.init) ?? ""
            guard request.path.hasPrefix("/v2/ingest/job/"), let (status, body) = served[id] else {
                return SandboxResponse(status: 599, headers: [], body: Array("unexpected \(request.path)".utf8))
            }
            // The reference gives no headers; 429 says "now" so the retries take no time.
            let headers = [("Content-Type", "application/json")] + (status == 429 ? [("Retry-After", "0")] : [])
            return SandboxResponse(status: status, headers: headers, body: Array(body.utf8))
        }
    }

    static func project(_ server: LoopbackHTTPServer, _ extra: [String: String]) throws -> ProjectSpec {
        var env = SandboxEnvironment.variables(
            baseURL: server.baseURL, copilotBaseURL: server.baseURL, credentials: .demo)
        env.merge(extra) { $1 }
        return try SpecLoader(environment: env).load(projectDirectory: repositoryRoot)
    }

    @Test(
        "every documented answer of GET /ingest/job/{jobId}, as the reference shows it",
        .enabled(if: OpenAPIExamples.found, OpenAPIExamples.skipNote))
    func ingestExamples() async throws {
        guard let document = try OpenAPIExamples.revenue() else { throw OpenAPIExamples.Missing(path: []) }
        let server = try await Self.ingestServer(document)
        do {
            try await Self.checkIngest(document, server: server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// Loads each example of the ingest endpoint in a run of its own (they share one job id).
    static func checkIngest(_ document: YAMLNode, server: LoopbackHTTPServer) async throws {
        for status in ["200", "202", "400", "500", "401", "404", "429"] {
            let example = try OpenAPIExamples.example(document, path: ingestPath, status: status)
            let destination = SQLiteDestination(pathTemplate: temporaryDirectory("openapi") + "/{pipeline}.sqlite")
            let report = try await PipelineRunner(
                project: try project(server, ["CLARI_INGEST_JOB_IDS": "ex-\(status)"]), destination: destination
            ).run("clari_core", resources: ["ingest_jobs"])
            let outcome = try #require(report.outcomes.first)
            guard let job = try? OpenAPIExamples.node(example, ["message"]), case .mapping = job else {
                // 401, 404, 429: `{"error": …}`, no job: the resource fails with that status.
                #expect(outcome.status == .failed, "HTTP \(status)")
                #expect(outcome.message?.contains("HTTP \(status)") == true, "\(outcome.message ?? "")")
                continue
            }
            #expect(outcome.status == .succeeded, "HTTP \(status): \(report.rendered())")
            let counts = try await tableCounts(destination, "clari_core")
            #expect(counts["ingest_jobs"] == 1, "HTTP \(status)")
            guard case .scalar(let expectedStatus, _, _) = try OpenAPIExamples.node(job, ["status"]) else {
                Issue.record("the example of \(status) has no status"); continue
            }
            #expect(try await scalar(destination, "clari_core", "SELECT status FROM ingest_jobs") == expectedStatus)
            var errors = 0
            if case .sequence(let list, _) = try OpenAPIExamples.node(job, ["message"]) { errors = list.count }
            #expect((counts["ingest_jobs__message"] ?? 0) == errors, "HTTP \(status): validation errors")
        }
    }

    @Test(
        "the reference's job list (a bare array) and flat job status load through sources.yaml",
        .enabled(if: OpenAPIExamples.found, OpenAPIExamples.skipNote))
    func exportExamples() async throws {
        guard let document = try OpenAPIExamples.revenue() else { throw OpenAPIExamples.Missing(path: []) }
        let list = try OpenAPIExamples.example(document, path: "/export/jobs", status: "200")
        let status = OpenAPIExamples.json(
            try OpenAPIExamples.example(document, path: "/export/jobs/{jobId}", status: "200"))
        guard case .sequence(let jobs, _) = list else { Issue.record("the job list example is not a list"); return }
        #expect(status.contains(#""status":"STARTED""#), "the reference's job status example: \(status)")
        let done = status.replacingOccurrences(of: #""status":"STARTED""#, with: #""status":"DONE""#)
        let polls = LockedBox([String: Int]())
        let server = try await LoopbackHTTPServer.start { request in
            let parts = request.path.split(separator: "/").map(String.init)
            let json = { (text: String) in
                SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
            }
            switch (request.method, parts.count) {
            case ("GET", 3) where parts[1] == "export" && parts[2] == "jobs":
                return json(OpenAPIExamples.json(list))
            case ("POST", 4) where parts[2] == "forecast":
                let id = polls.withLock { p in
                    let id = "job-\(p.count + 1)"
                    p[id] = 0
                    return id
                }
                return json(#"{"jobId":"\#(id)"}"#)
            case ("GET", 4) where parts[2] == "jobs":
                // The example as published (STARTED) first, then the same body saying DONE.
                let seen = polls.withLock { p in
                    p[parts[3], default: 0] += 1; return p[parts[3]] ?? 0
                }
                return json(seen == 1 ? status : done)
            case ("GET", 5) where parts[4] == "results":
                return json(#"{"entries":[],"users":[],"fields":[],"timePeriods":[],"timeFrames":[]}"#)
            default:
                return SandboxResponse(status: 404, headers: [], body: Array("no route \(request.path)".utf8))
            }
        }
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory("openapi-export") + "/{pipeline}.sqlite")
        let project = try Self.project(server, ["CLARI_FORECAST_IDS": "1001"])
        let core = try await PipelineRunner(project: project, destination: destination)
            .run("clari_core", resources: ["export_jobs"])
        let forecast = try await PipelineRunner(project: project, destination: destination).run("clari_forecast")
        await server.shutdown()
        #expect(core.succeeded, "\(core.rendered())")
        #expect(try await tableCounts(destination, "clari_core")["export_jobs"] == jobs.count)
        #expect(forecast.succeeded, "\(forecast.rendered())")
        let seen = polls.withLock { $0 }
        #expect(seen.count == 5, "one export per fiscal quarter: \(seen)")
        #expect(seen.values.allSatisfy { $0 == 2 }, "each job read STARTED, then DONE, from the flat example: \(seen)")
    }
}
