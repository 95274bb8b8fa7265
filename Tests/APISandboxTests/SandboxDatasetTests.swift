import APISandbox
import Foundation
import Testing

@Suite("Sandbox")
struct SandboxTests {
    /// Calls the sandbox's router directly (the socket layer is covered by the end-to-end tests).
    func get(
        _ server: SandboxServer, _ path: String, headers: [String: String], method: String = "GET", body: String = ""
    ) async throws -> (Int, Any?) {
        let request = SandboxRequest(
            method: method, uri: path,
            headers: headers.map { ($0.key, $0.value) } + [("Host", "127.0.0.1:\(server.port)")],
            body: Array(body.utf8), defaultOrigin: server.baseURL)
        let response = server.api.handle(request)
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body)))
    }

    let core = ["apikey": SandboxCredentials.demo.apiKey]

    @Test("data is deterministic: the same seed serves the same bytes, another seed differs")
    func deterministic() async throws {
        let a = try await SandboxServer.start(SandboxConfiguration(seed: 1))
        let b = try await SandboxServer.start(SandboxConfiguration(seed: 1))
        let c = try await SandboxServer.start(SandboxConfiguration(seed: 2))
        // Bodies without absolute links, which name each server's own port.
        func bytes(_ s: SandboxServer, _ path: String) -> [UInt8] {
            s.api.handle(
                SandboxRequest(
                    method: "GET", uri: path, headers: core.map { ($0.key, $0.value) }, body: [], defaultOrigin: "")
            ).body
        }
        for path in ["/v4/export/jobs", "/v4/export/jobs/job-000001/results"] {
            #expect(bytes(a, path) == bytes(b, path))
            #expect(bytes(a, path) != bytes(c, path))
            #expect(bytes(a, path).count > 100)
        }
        for s in [a, b, c] { await s.shutdown() }
    }

    @Test("auth is checked: 401 with a JSON body")
    func auth() async throws {
        let s = try await SandboxServer.start(SandboxConfiguration())
        let (status, body) = try await get(s, "/v4/audit/events", headers: ["apikey": "wrong"])
        let (copilot, _) = try await get(
            s, "/copilot/users", headers: ["X-Api-Key": SandboxCredentials.demo.copilotKey])
        await s.shutdown()
        #expect(status == 401)
        #expect((body as? [String: Any])?["errors"] != nil)
        #expect(copilot == 401)
    }

    @Test("audit events page by nextLink and honour dateFrom")
    func auditPaging() async throws {
        let s = try await SandboxServer.start(SandboxConfiguration())
        var path: String? = "/v4/audit/events?limit=700"
        var total = 0
        while let p = path {
            let (_, body) = try await get(s, p, headers: core)
            let doc = body as? [String: Any]
            total += (doc?["items"] as? [Any])?.count ?? 0
            path = (doc?["nextLink"] as? String).map { String($0.dropFirst(s.baseURL.count)) }
        }
        let data = s.api.dataset
        let (_, late) = try await get(s, "/v4/audit/events?limit=1000&dateFrom=2025-01-02T00:00:00Z", headers: core)
        await s.shutdown()
        #expect(total == data.auditEventCount)
        let lateCount = (late as? [String: Any]).flatMap { $0["items"] as? [Any] }?.count ?? 0
        #expect(lateCount == data.auditEventCount - 24 * 60)
    }

    @Test("Copilot skip above 10,000 is refused")
    func skipCap() async throws {
        let s = try await SandboxServer.start(SandboxConfiguration())
        let headers = [
            "X-Api-Key": SandboxCredentials.demo.copilotKey, "X-Api-Password": SandboxCredentials.demo.copilotPassword,
        ]
        let (status, _) = try await get(s, "/copilot/calls?skip=10001", headers: headers)
        await s.shutdown()
        #expect(status == 400)
    }

    @Test("export jobs take polls, respect the concurrency limit and answer quota errors")
    func jobLifecycle() async throws {
        let s = try await SandboxServer.start(SandboxConfiguration(concurrentLimit: 2, pollsUntilDone: 2))
        func post(_ path: String) async throws -> (Int, [String: Any]?) {
            let (status, body) = try await get(
                s, path, headers: core, method: "POST", body: #"{"timePeriod":"2026_Q1"}"#)
            return (status, body as? [String: Any])
        }
        let (_, first) = try await post("/v4/export/forecast/1001")
        _ = try await post("/v4/export/forecast/1002")
        let (third, error) = try await post("/v4/export/forecast/1001")
        let (unknown, _) = try await post("/v4/export/forecast/999")
        let id = first?["jobId"] as? String ?? ""
        let (early, _) = try await get(s, "/v4/export/jobs/\(id)/results", headers: core)
        let (_, poll1) = try await get(s, "/v4/export/jobs/\(id)", headers: core)
        let (_, poll2) = try await get(s, "/v4/export/jobs/\(id)", headers: core)
        let (done, results) = try await get(s, "/v4/export/jobs/\(id)/results", headers: core)
        await s.shutdown()
        #expect(third == 400)
        #expect("\(error ?? [:])".contains("export_monthly_quota_reached"))
        #expect(unknown == 400)
        #expect(early == 400)
        #expect(((poll1 as? [String: Any])?["job"] as? [String: Any])?["status"] as? String == "SCHEDULED")
        #expect(((poll2 as? [String: Any])?["job"] as? [String: Any])?["status"] as? String == "DONE")
        #expect(done == 200)
        let doc = results as? [String: Any]
        #expect(Set(doc?.keys.map { $0 } ?? []) == ["entries", "users", "fields", "timePeriods", "timeFrames"])
    }
}

@Suite("Sandbox Copilot time filters")
struct SandboxTimeFilterTests {
    static let headers = [
        "X-Api-Key": SandboxCredentials.demo.copilotKey, "X-Api-Password": SandboxCredentials.demo.copilotPassword,
    ]

    /// Ids of the calls `/calls` answers with for the given filters (one page of up to 100).
    func ids(_ api: SandboxAPI, _ query: String) -> [String] {
        let request = SandboxRequest(
            method: "GET", uri: "/copilot/calls?limit=100&" + query,
            headers: Self.headers.map { ($0.key, $0.value) }, body: [], defaultOrigin: "")
        let doc = try? JSONSerialization.jsonObject(with: Data(api.handle(request).body)) as? [String: Any]
        return (doc?["calls"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
    }

    @Test("at scale 1 one call sits exactly on a month boundary, and filterTimeGt/Lt read it strictly")
    func boundaryCall() async throws {
        let s = try await SandboxServer.start(SandboxConfiguration(scale: 1))
        let data = s.api.dataset
        let id = "call-\(data.boundaryCall)"
        let boundary = "2025-01-01T00:00:00Z"
        let gtAt = ids(s.api, "filterTimeGt=\(boundary)&filterTimeLt=2025-01-10T00:00:00Z")
        let ltAt = ids(s.api, "filterTimeGt=2024-12-20T00:00:00Z&filterTimeLt=\(boundary)")
        let gtBefore = ids(s.api, "filterTimeGt=2024-12-31T23:59:59Z&filterTimeLt=2025-01-10T00:00:00Z")
        let ltAfter = ids(s.api, "filterTimeGt=2024-12-20T00:00:00Z&filterTimeLt=2025-01-01T00:00:01Z")
        await s.shutdown()
        #expect(data.boundaryCall > 0 && data.boundaryCall < data.callCount)
        #expect(data.callSeconds(data.boundaryCall) == SandboxDataset.boundaryCallSeconds)
        #expect(data.callSeconds(data.boundaryCall - 1) < SandboxDataset.boundaryCallSeconds)
        #expect(data.callSeconds(data.boundaryCall + 1) > SandboxDataset.boundaryCallSeconds)
        #expect(!gtAt.contains(id), "filterTimeGt is strict")
        #expect(!ltAt.contains(id), "filterTimeLt is strict")
        #expect(gtBefore.first == id)
        #expect(ltAfter.last == id)
        #expect(!gtAt.isEmpty && !ltAt.isEmpty, "the neighbouring calls are found")
    }
}
