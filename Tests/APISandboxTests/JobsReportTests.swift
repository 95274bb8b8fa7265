import APISandbox
import Foundation
import Testing

/// `/_sandbox/jobs` reports the export-job rules the sandbox enforces and what it saw: the
/// benchmark's job floor is computed from it.
@Suite("Sandbox jobs report")
struct JobsReportTests {
    let keys = [("apikey", SandboxCredentials.demo.apiKey), ("partnerkey", SandboxCredentials.demo.partnerKey)]

    func send(_ api: SandboxAPI, _ method: String, _ path: String, body: String = "") -> SandboxResponse {
        api.handle(
            SandboxRequest(
                method: method, uri: path, headers: keys, body: Array(body.utf8), defaultOrigin: "http://127.0.0.1:1"))
    }

    @Test("created, refused and peak in flight follow the jobs a client made; the limits are the configuration's")
    func report() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(concurrentLimit: 2, pollsUntilDone: 4))
        let statuses = (0..<3).map { _ in
            send(server.api, "POST", "/v4/export/forecast/1001", body: #"{"timePeriod":"2024_Q1"}"#).status
        }
        let answer = send(server.api, "GET", "/_sandbox/jobs")
        await server.shutdown()
        #expect(statuses == [200, 200, 400])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Int])
        #expect(
            report == ["concurrent_limit": 2, "polls_until_done": 4, "created": 2, "peak_in_flight": 2, "refused": 1])
    }
}
