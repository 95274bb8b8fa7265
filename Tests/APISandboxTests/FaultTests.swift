import APISandbox
import Testing

/// Flaky is not down: injected faults hit a request at most twice in a row, so a client that
/// retries gets through, while other requests keep drawing faults.
@Suite("Sandbox faults")
struct FaultTests {
    let keys = [("apikey", SandboxCredentials.demo.apiKey), ("partnerkey", SandboxCredentials.demo.partnerKey)]

    func faulted(_ r: SandboxResponse) -> Bool { r.drop || [429, 500, 504].contains(r.status) }

    @Test("each request draws at most two faults in a row; faults keep coming")
    func streaks() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(faults: .flaky))
        // Two requests in turn, as concurrent clients would interleave them: each has its own streak.
        let paths = ["/v4/admin/limits", "/v4/admin/limits?x=1"]
        var streak = [0, 0], longest = [0, 0], faults = 0
        for n in 0..<3000 {
            let i = n % 2
            let r = server.api.handle(
                SandboxRequest(
                    method: "GET", uri: paths[i], headers: keys, body: [], defaultOrigin: "http://127.0.0.1:1"))
            if faulted(r) {
                streak[i] += 1
                faults += 1
            } else {
                streak[i] = 0
            }
            longest[i] = max(longest[i], streak[i])
        }
        await server.shutdown()
        #expect(longest.allSatisfy { $0 <= 2 }, "longest streaks \(longest)")
        #expect(longest.contains(2), "two in a row still happen")
        #expect(faults > 300, "about a fifth of requests are faulted: \(faults)")
    }
}
