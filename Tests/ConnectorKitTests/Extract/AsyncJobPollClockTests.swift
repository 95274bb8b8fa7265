import APISandbox
@testable import ConnectorKit
import Foundation
import Testing

/// The async-job poller waits on the client's clock: a job polled every 30 s for up to 100 s is
/// tested in milliseconds on a test clock, and each wait is exactly the configured interval.
@Suite("Async job polls on the injected clock")
struct AsyncJobPollClockTests {
    static func runner(
        _ baseURL: String, clock: TestClock, busy: String = "", timing: String = "interval: 30s, timeout: 100s"
    ) async throws -> AsyncJobRunner {
        let yaml = """
                  - name: export
                    endpoint: {method: POST, path: jobs}
                    async_job:
                      job_id_path: jobId
                      poll: {path: "jobs/{job_id}", status_path: status, \(timing),
                             completed: [DONE], failed: [FAILED]}
                      download: {path: "jobs/{job_id}/result"}
                      \(busy)
            """
        let project = try TestPipeline.project(baseURL: baseURL, resourceYAML: yaml)
        let resource = project.sources[0].resources[0]
        let spec = try #require(resource.asyncJob)
        let client = SourceClient(
            baseURL: baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 2),
            retry: RetrySpec(maxAttempts: 1), timeoutSeconds: 5, headers: [],
            redactor: Redactor(secrets: []), clock: clock)
        let session = try await MemoryDestination().beginLoad(pipeline: "test", loadId: "l")
        return AsyncJobRunner(
            spec: spec, resource: resource, client: client, auth: NoAuth(), session: session,
            storedState: ResourceState(), slots: JobSlots(capacity: 1))
    }

    static func create(_ server: LoopbackHTTPServer) -> HTTPRequest {
        HTTPRequest(method: "POST", url: server.baseURL + "/jobs")
    }

    @Test("a job that stays RUNNING times out after `timeout`, polled every `interval`")
    func timesOut() async throws {
        let polls = LockedList<String>()
        let server = try await LoopbackHTTPServer.start { r in
            if r.method == "POST" { return SandboxResponse(status: 200, body: Array(#"{"jobId":"7"}"#.utf8)) }
            polls.append(r.path)
            return SandboxResponse(status: 200, body: Array(#"{"status":"RUNNING"}"#.utf8))
        }
        let clock = TestClock()
        let runner = try await Self.runner(server.baseURL, clock: clock)
        let e = await #expect(throws: ExtractError.self) {
            _ = try await runner.run(WorkItem(), createRequest: Self.create(server))
        }
        await server.shutdown()
        await runner.client.shutdown()
        #expect(e?.message.contains("job 7 still RUNNING after 100 s") == true, "\(String(describing: e))")
        #expect(polls.items.count == 5, "polls at 0, 30, 60, 90 and 120 s")
        #expect(clock.sleptSeconds == [30, 30, 30, 30])
    }

    @Test("with max_interval, polls start at `interval` and back off, doubling, up to it")
    func backsOff() async throws {
        let polls = LockedList<String>()
        let server = try await LoopbackHTTPServer.start { r in
            if r.method == "POST" { return SandboxResponse(status: 200, body: Array(#"{"jobId":"7"}"#.utf8)) }
            if r.path.hasSuffix("/result") { return SandboxResponse(status: 200, body: Array("[]".utf8)) }
            polls.append(r.path)
            let status = polls.items.count < 7 ? "RUNNING" : "DONE"
            return SandboxResponse(status: 200, body: Array(#"{"status":"\#(status)"}"#.utf8))
        }
        let clock = TestClock()
        let runner = try await Self.runner(
            server.baseURL, clock: clock, timing: "interval: 1s, max_interval: 8s, timeout: 10m")
        let response = try await runner.run(WorkItem(), createRequest: Self.create(server))
        await server.shutdown()
        await runner.client.shutdown()
        #expect(response.status == 200)
        #expect(polls.items.count == 7)
        #expect(clock.sleptSeconds == [1, 2, 4, 8, 8, 8], "a fixed 1 s interval would poll 24 times in this time")
    }

    @Test("a busy answer is waited out on the clock, then the job is created")
    func busyWaits() async throws {
        let creates = LockedList<Int>()
        let server = try await LoopbackHTTPServer.start { r in
            if r.method == "POST" {
                creates.append(1)
                if creates.items.count == 1 { return SandboxResponse(status: 400, body: Array("busy".utf8)) }
                return SandboxResponse(status: 200, body: Array(#"{"jobId":"8"}"#.utf8))
            }
            if r.path.hasSuffix("/result") { return SandboxResponse(status: 200, body: Array("[]".utf8)) }
            return SandboxResponse(status: 200, body: Array(#"{"status":"DONE"}"#.utf8))
        }
        let clock = TestClock()
        let busy = "busy: {status: [400], retries: 2, wait: 45s}"
        let runner = try await Self.runner(server.baseURL, clock: clock, busy: busy)
        let response = try await runner.run(WorkItem(), createRequest: Self.create(server))
        await server.shutdown()
        await runner.client.shutdown()
        #expect(response.status == 200)
        #expect(creates.items.count == 2)
        #expect(clock.sleptSeconds == [45])
    }
}
