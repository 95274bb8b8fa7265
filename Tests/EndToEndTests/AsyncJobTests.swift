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
    static func yaml(
        base: String, download: String, ids: String = "1001", maxConcurrent: Int = 3, busy: String? = nil,
        failedJobs: String? = nil
    )
        -> String
    {
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
                  \(busy.map { "busy: \($0)" } ?? "")
                  \(failedJobs.map { "failed_jobs: \($0)" } ?? "")
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
            let signed = SandboxRequest(
                method: "GET", uri: r.path, headers: [("apikey", Self.key)], body: [], defaultOrigin: sandbox.baseURL)
            return sandbox.api.handle(signed)
        }
        let sandbox = try await SandboxServer.start(
            SandboxConfiguration(pollsUntilDone: 2, downloadOrigin: storage.baseURL))
        sandboxBox.withLock { $0 = sandbox }
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let report = try await PipelineRunner(
            project: try project(Self.yaml(base: sandbox.baseURL, download: "{url_path: job.downloadUrl}")),
            destination: destination
        ).run("fc")
        let log = sandbox.api.requestLog
        await sandbox.shutdown()
        await storage.shutdown()
        #expect(report.succeeded, "\(report.rendered())")
        let downloads = seen.withLock { $0 }
        #expect(downloads.count == 1)
        #expect(
            downloads.allSatisfy { headers in
                !headers.values.contains { $0.contains(Self.key) } && headers["apikey"] == nil
            })
        // The only /results request the sandbox saw is the storage host's own (signed) one.
        #expect(log.filter { $0.contains("/results") }.count == 1, "the result must come from the other host")
        #expect(
            try await tableCounts(destination, "fc")["forecast_entries"] == sandbox.api.dataset.forecastUserCount * 4
                * 13)
    }

    @Test("an exhausted export quota is reported, not retried in a loop")
    func quota() async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(monthlyQuota: 1, pollsUntilDone: 2))
        let dir = temporaryDirectory()
        let yaml = Self.yaml(
            base: sandbox.baseURL, download: "{path: \"export/jobs/{job_id}/results\"}", ids: "1001,1002",
            maxConcurrent: 1)
        let report = try await PipelineRunner(
            project: try project(yaml), destination: SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        ).run("fc")
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
        let created = sandbox.api.handle(
            SandboxRequest(
                method: "POST", uri: "/v4/export/forecast/1001", headers: [("apikey", Self.key)],
                body: Array(#"{"timePeriod":"2026_Q1"}"#.utf8), defaultOrigin: sandbox.baseURL))
        let jobId = try #require(
            (try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["jobId"] as? String)
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let session = try await destination.beginLoad(pipeline: "fc", loadId: "seed")
        try await session.saveState(.job(JobId(jobId), for: "forecast_id=1001"), resource: "forecast_export")
        await session.abort()
        sandbox.api.clearRequestLog()
        let report = try await PipelineRunner(
            project: try project(
                Self.yaml(base: sandbox.baseURL, download: "{path: \"export/jobs/{job_id}/results\"}")),
            destination: destination
        ).run("fc")
        let log = sandbox.api.requestLog
        await sandbox.shutdown()
        #expect(report.succeeded, "\(report.rendered())")
        #expect(!log.contains { $0.hasPrefix("POST") }, "no new export may be created: \(log)")
        #expect(log.contains { $0.contains("/export/jobs/\(jobId)/results") })
        let state = try await scalar(destination, "fc", "SELECT count(*) FROM _connector_state WHERE key LIKE 'job%'")
        #expect(state == "0", "a finished job leaves no state behind")
    }

    /// A create that answers `refusals` times with `refusal` before it gives a job; the job is
    /// done at once and its result holds one entry.
    struct BusyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var refusals: Int
        var refusal: String
        var busy: String?
        var succeeds: Bool
        var posts: Int
        var message: [String]
        var testDescription: String { name }
    }

    static let clariBusy =
        #"{"errors":[{"code":"export_monthly_quota_reached","message":"The monthly quota limit of 500 or concurrent limit of 3 has been reached"}]}"#
    static let busyCases = [
        BusyCase(
            name: "busy twice, then a slot: waited out", refusals: 2, refusal: clariBusy,
            busy: #"{status: 400, body_contains: "concurrent limit", retries: 3, wait: 5ms}"#, succeeds: true, posts: 3,
            message: []),
        BusyCase(
            name: "busy for good (a spent quota): stops after the retries", refusals: 99, refusal: clariBusy,
            busy: #"{status: 400, body_contains: "concurrent limit", retries: 2, wait: 5ms}"#, succeeds: false,
            posts: 3,
            message: ["refused the export as busy 3 times", "quota is likely used up", "HTTP 400", "forecast_id=1001"]),
        BusyCase(
            name: "another 400 is not busy: stops at once", refusals: 99, refusal: #"{"code":"invalid_types"}"#,
            busy: #"{status: 400, body_contains: "concurrent limit", retries: 3, wait: 5ms}"#, succeeds: false,
            posts: 1,
            message: ["HTTP 400", "invalid_types"]),
        BusyCase(
            name: "no busy declared: the first refusal stops", refusals: 99, refusal: clariBusy, busy: nil,
            succeeds: false, posts: 1,
            message: ["export quota or concurrency limit reached, not retried"]),
    ]

    @Test(
        "a busy answer to a create is waited out a bounded number of times; anything else stops the resource",
        arguments: busyCases)
    func busyCreate(_ c: BusyCase) async throws {
        let posts = LockedBox(0)
        let server = try await LoopbackHTTPServer.start { r in
            func json(_ status: Int, _ text: String) -> SandboxResponse {
                SandboxResponse(status: status, body: Array(text.utf8))
            }
            switch (r.method, r.path) {
            case ("POST", "/v4/export/forecast/1001"):
                let n = posts.withLock {
                    $0 += 1; return $0
                }
                return n <= c.refusals ? json(400, c.refusal) : json(200, #"{"jobId":"j1"}"#)
            case ("GET", "/v4/export/jobs/j1"): return json(200, #"{"job":{"status":"DONE"}}"#)
            case ("GET", "/v4/export/jobs/j1/results"):
                return json(
                    200,
                    #"{"entries":[{"userId":"1","fieldId":"f","timePeriodId":"2026_Q1","timeFrameId":"1"}],"users":[]}"#
                )
            default: return json(404, "{}")
            }
        }
        let yaml = Self.yaml(base: server.baseURL, download: #"{path: "export/jobs/{job_id}/results"}"#, busy: c.busy)
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory() + "/{pipeline}.sqlite")
        let report = try await PipelineRunner(project: try project(yaml), destination: destination).run("fc")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(report.succeeded == c.succeeds, "\(report.rendered())")
        #expect(posts.withLock { $0 } == c.posts)
        for text in c.message { #expect(outcome.message?.contains(text) == true, "\(outcome.message ?? "")") }
        if c.succeeds { #expect(try await tableCounts(destination, "fc")["forecast_entries"] == 1) }
    }

    @Test("jobs left in flight are adopted before any is created; one no item has any more is waited for and forgotten")
    func adoptsBeforeCreating() async throws {
        // The limit is the job slots: three jobs in flight, two of items this run has, one of a
        // quarter it no longer exports. A create before those end would be refused.
        let sandbox = try await SandboxServer.start(SandboxConfiguration(concurrentLimit: 3, pollsUntilDone: 3))
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let session = try await destination.beginLoad(pipeline: "fc", loadId: "seed")
        for key in ["forecast_id=1003", "forecast_id=1002", "forecast_id=9999"] {
            let created = sandbox.api.handle(
                SandboxRequest(
                    method: "POST", uri: "/v4/export/forecast/1001", headers: [("apikey", Self.key)],
                    body: Array(#"{"timePeriod":"2026_Q1"}"#.utf8), defaultOrigin: sandbox.baseURL))
            let jobId = try #require(
                (try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["jobId"] as? String)
            try await session.saveState(.job(JobId(jobId), for: WorkItemKey(key)), resource: "forecast_export")
        }
        await session.abort()
        sandbox.api.clearRequestLog()
        let yaml = Self.yaml(
            base: sandbox.baseURL, download: #"{path: "export/jobs/{job_id}/results"}"#, ids: "1001,1002,1003",
            maxConcurrent: 3, failedJobs: "report")
        let report = try await PipelineRunner(project: try project(yaml), destination: destination).run("fc")
        let counts = sandbox.api.jobCounts
        let log = sandbox.api.requestLog
        await sandbox.shutdown()
        #expect(report.succeeded, "\(report.rendered())")
        #expect(counts.refused == 0, "no create may come while the adopted jobs hold the slots: \(log)")
        #expect(counts.peakInFlight <= 3)
        #expect(log.filter { $0.hasPrefix("POST") }.count == 1, "1001 is created; 1002 and 1003 are adopted")
        let notes = report.outcomes.first?.notes ?? []
        #expect(notes.contains("adopted 3 export job(s) an earlier run left in flight"), "\(notes)")
        #expect(notes.contains { $0.contains("forecast_id=9999") && $0.contains("forgotten") }, "\(notes)")
        let state = try await scalar(destination, "fc", "SELECT count(*) FROM _connector_state WHERE key LIKE 'job%'")
        #expect(state == "0", "every job is forgotten once done")
    }

    @Test(
        "a job the API fails fails the resource and publishes nothing, unless failed_jobs: report is declared",
        arguments: [nil, "report"])
    func failedJobPolicy(policy: String?) async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(scale: 1, pollsUntilDone: 1))
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let yaml = Self.yaml(
            base: sandbox.baseURL, download: #"{path: "export/jobs/{job_id}/results"}"#, ids: "1001,1003",
            failedJobs: policy)
        let report = try await PipelineRunner(project: try project(yaml), destination: destination).run("fc")
        await sandbox.shutdown()
        let outcome = try #require(report.outcomes.first)
        let tables = try await tableCounts(destination, "fc")
        if policy == "report" {
            #expect(outcome.status == .succeeded, "\(report.rendered())")
            #expect(outcome.notes.contains { $0.contains("forecast_id=1003") && $0.contains("FAILED") })
            #expect(tables["forecast_entries"] ?? 0 > 0, "1001 loads")
        } else {
            #expect(outcome.status == .failed, "a failed job must not end in success by default")
            #expect(outcome.message?.contains("1 of 2 export jobs failed") == true, "\(outcome.message ?? "")")
            #expect(tables["forecast_entries"] == nil, "nothing is published: \(tables)")
        }
    }
}
