import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// Export jobs against the sandbox: downloads from another host, quota errors, jobs resumed
/// from state.
@Suite("Async export jobs", .serialized)
struct AsyncJobTests {
    /// A forecast source for one forecast and the current quarter; `download` varies.
    static func yaml(base: String, download: String, ids: String = "1001", maxConcurrent: Int = 3) -> String {
        """
        sources:
          fc:
            client:
              base_url: \(base)/v4
              auth: {type: api_key, location: header, name: apikey, api_key: "${KEY}"}
              retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
            resources:
              - name: forecast_export
                endpoint:
                  method: POST
                  path: export/forecast/{forecast_id}
                  partitions:
                    forecast_id: {type: list, values: "\(ids)"}
                  json: {timePeriod: "2026_Q1"}
                write_disposition: merge
                async_job:
                  job_id_path: jobId
                  max_concurrent: \(maxConcurrent)
                  poll: {path: "export/jobs/{job_id}", status_path: job.status, interval: 10ms, timeout: 30s, completed: [DONE], failed: [FAILED]}
                  download: \(download)
                tables:
                  forecast_entries: {data_selector: entries, primary_key: [forecast_id, timePeriodId, timeFrameId, userId, fieldId]}
                  forecast_users: {data_selector: users, primary_key: [forecast_id, userId]}
        pipelines:
          fc: {source: fc}
        """
    }

    static let key = SandboxCredentials.demo.apiKey

    func project(_ yaml: String) throws -> ProjectSpec {
        try SpecLoader(environment: ["KEY": Self.key]).parseSources(yaml, file: "test.yaml")
    }

    @Test("a download URL on another host receives no credentials")
    func downloadElsewhere() async throws {
        let seen = LockedBox([[String: String]]())
        // The other host stands for a pre-signed storage URL: it serves the result itself.
        let sandboxBox = LockedBox<SandboxServer?>(nil)
        let storage = try await LoopbackHTTPServer.start { r in
            seen.withLock { $0.append(r.headers) }
            guard let sandbox = sandboxBox.withLock({ $0 }) else { return SandboxResponse(status: 503, body: []) }
            let signed = SandboxRequest(method: "GET", uri: r.path, headers: [("apikey", Self.key)], body: [], defaultOrigin: sandbox.baseURL)
            return sandbox.api.handle(signed)
        }
        let sandbox = try await SandboxServer.start(SandboxConfiguration(pollsUntilDone: 2, downloadOrigin: storage.baseURL))
        sandboxBox.withLock { $0 = sandbox }
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let report = try await PipelineRunner(project: try project(Self.yaml(base: sandbox.baseURL, download: "{url_path: job.downloadUrl}")),
                                              destination: destination).run("fc")
        let log = sandbox.api.requestLog
        await sandbox.shutdown()
        await storage.shutdown()
        #expect(report.succeeded, "\(report.rendered())")
        let downloads = seen.withLock { $0 }
        #expect(downloads.count == 1)
        #expect(downloads.allSatisfy { headers in !headers.values.contains { $0.contains(Self.key) } && headers["apikey"] == nil })
        // The only /results request the sandbox saw is the storage host's own (signed) one.
        #expect(log.filter { $0.contains("/results") }.count == 1, "the result must come from the other host")
        #expect(try await tableCounts(destination, "fc")["forecast_entries"] == sandbox.api.dataset.forecastUserCount * 4 * 13)
    }

    @Test("an exhausted export quota is reported, not retried in a loop")
    func quota() async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(monthlyQuota: 1, pollsUntilDone: 2))
        let dir = temporaryDirectory()
        let yaml = Self.yaml(base: sandbox.baseURL, download: "{path: \"export/jobs/{job_id}/results\"}", ids: "1001,1002", maxConcurrent: 1)
        let report = try await PipelineRunner(project: try project(yaml), destination: SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")).run("fc")
        let posts = sandbox.api.requestLog.filter { $0.hasPrefix("POST") }.count
        await sandbox.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(outcome.message?.contains("quota") == true, "\(outcome.message ?? "")")
        #expect(outcome.message?.contains("HTTP 400") == true)
        #expect(posts == 2, "one export created, one refused, none retried")
        #expect(!report.succeeded)
    }

    @Test("a job in flight kept in state is polled again instead of creating a new one")
    func resumesStoredJob() async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(pollsUntilDone: 2))
        let created = sandbox.api.handle(SandboxRequest(method: "POST", uri: "/v4/export/forecast/1001", headers: [("apikey", Self.key)],
                                                        body: Array(#"{"timePeriod":"2026_Q1"}"#.utf8), defaultOrigin: sandbox.baseURL))
        let jobId = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["jobId"] as? String)
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let session = try await destination.beginLoad(pipeline: "fc", loadId: "seed")
        try await session.checkpoint(resource: "forecast_export", key: "job:forecast_id=1001", value: jobId)
        await session.abort()
        sandbox.api.clearRequestLog()
        let report = try await PipelineRunner(project: try project(Self.yaml(base: sandbox.baseURL, download: "{path: \"export/jobs/{job_id}/results\"}")),
                                              destination: destination).run("fc")
        let log = sandbox.api.requestLog
        await sandbox.shutdown()
        #expect(report.succeeded, "\(report.rendered())")
        #expect(!log.contains { $0.hasPrefix("POST") }, "no new export may be created: \(log)")
        #expect(log.contains { $0.contains("/export/jobs/\(jobId)/results") })
        let state = try await scalar(destination, "fc", "SELECT count(*) FROM _connector_state WHERE key LIKE 'job%'")
        #expect(state == "0", "a finished job leaves no state behind")
    }
}
