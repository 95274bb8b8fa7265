import APISandbox
import Foundation
import Testing

/// The sandbox's `GET /v2/ingest/job/{jobId}` answers as Clari's reference documents it, and
/// its export job status and list come in either shape.
@Suite("Sandbox ingest job status and export shapes")
struct IngestRouteTests {
    func answer(_ api: SandboxAPI, _ path: String, headers: [String: String]) -> (Int, [String: Any]?, SandboxResponse)
    {
        let request = SandboxRequest(
            method: "GET", uri: path, headers: headers.map { ($0.key, $0.value) }, body: [],
            defaultOrigin: "http://127.0.0.1:1")
        let response = api.handle(request)
        return (
            response.status, try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], response
        )
    }

    let keys = ["apikey": SandboxCredentials.demo.apiKey, "partnerkey": SandboxCredentials.demo.partnerKey]

    @Test(
        "each job id answers with its state's status, the job under message",
        arguments: [
            ("ingest-1", 200, "SUCCESS"), ("ingest-2", 202, "IN_PROGRESS"), ("ingest-3", 400, "VALIDATION_ERROR"),
            ("ingest-4", 500, "FAILED"), ("ingest-5", 202, "QUEUED"), ("ingest-6", 200, "SUCCESS"),
        ])
    func states(_ id: String, _ status: Int, _ state: String) async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let (code, body, _) = answer(server.api, "/v2/ingest/job/\(id)", headers: keys)
        await server.shutdown()
        #expect(code == status)
        let job = try #require(body?["message"] as? [String: Any])
        #expect(job["jobId"] as? String == id)
        #expect(job["status"] as? String == state)
        #expect(job["module"] as? String == "DATA_INGESTION")
        if state == "VALIDATION_ERROR" {
            let errors = try #require(job["message"] as? [[String: Any]])
            #expect(!errors.isEmpty && errors.allSatisfy { $0["errorCode"] != nil && $0["errorSummary"] != nil })
        } else {
            #expect(job["message"] is String)
        }
    }

    @Test("401, 404 and 429 answer {\"error\": …} as documented; 429 says when to retry")
    func errors() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let wrongPartner = answer(server.api, "/v2/ingest/job/ingest-1", headers: ["apikey": keys["apikey"] ?? ""])
        let missing = answer(server.api, "/v2/ingest/job/nope", headers: keys)
        let throttled = answer(server.api, "/v2/ingest/job/\(SandboxDataset.throttledIngestId)", headers: keys)
        await server.shutdown()
        #expect(wrongPartner.0 == 401 && wrongPartner.1?["error"] as? String == "Invalid authentication credentials")
        #expect(missing.0 == 404 && (missing.1?["error"] as? String)?.hasPrefix("Bulk ingestion job not found") == true)
        #expect(throttled.0 == 429 && throttled.1?["error"] as? String == "API rate limit exceeded")
        #expect(throttled.2.headers.contains { $0.0 == "Retry-After" })
    }

    @Test("export job status flat or wrapped, job list as an array or under jobs")
    func exportShapes() async throws {
        for (statusShape, listShape) in [(JobStatusShape.wrapped, JobListShape.array), (.flat, .object)] {
            var configuration = SandboxConfiguration()
            configuration.jobStatusShape = statusShape
            configuration.jobListShape = listShape
            let server = try await SandboxServer.start(configuration)
            let core = ["apikey": SandboxCredentials.demo.apiKey]
            let (_, status, _) = answer(server.api, "/v4/export/jobs/job-000001", headers: core)
            let list = server.api.handle(
                SandboxRequest(
                    method: "GET", uri: "/v4/export/jobs", headers: core.map { ($0.key, $0.value) }, body: [],
                    defaultOrigin: server.baseURL))
            await server.shutdown()
            let job = statusShape == .wrapped ? status?["job"] as? [String: Any] : status
            #expect(job?["status"] as? String == "DONE", "\(statusShape)")
            let parsed = try JSONSerialization.jsonObject(with: Data(list.body))
            #expect(listShape == .array ? parsed is [Any] : (parsed as? [String: Any])?["jobs"] is [Any])
        }
    }
}
