@testable import ConnectorKit
import Testing

@Suite("HTTP step: circuit breaker")
struct CircuitBreakerStepTests {
    let request = HTTPRequest(url: "https://a.test/x")

    @Test("failed attempts in a row open the breaker for that resource only; nothing more is sent")
    func opens() async throws {
        let stats = RequestStats()
        let step = CircuitBreakerStep(limit: 3, stats: stats)
        let next = ScriptedNext([.status(503), .transport(sent: true), .status(500)])
        for _ in 0..<3 { _ = try? await step.handle(request, context: .test(), next: next.call) }
        let e = await #expect(throws: ExtractError.self) {
            _ = try await step.handle(request, context: .test(), next: next.call)
        }
        #expect(e?.message.contains("circuit breaker open after 3") == true)
        #expect(next.requests.count == 3)
        _ = try? await step.handle(request, context: .test("other"), next: next.call)
        #expect(next.requests.count == 4, "another resource has its own streak")
    }

    @Test(
        "a final answer resets the streak; a redirect or a cancellation leaves it",
        arguments: [
            (ScriptedNext.Answer.status(200), 0), (.status(404), 0), (.status(302, headers: [("Location", "/b")]), 2),
            (.error(ExtractError(.cancelled, resource: "r", message: "")), 2), (.status(429), 3),
        ])
    func streak(_ answer: ScriptedNext.Answer, _ expected: Int) async throws {
        let stats = RequestStats()
        let step = CircuitBreakerStep(limit: 10, stats: stats)
        let next = ScriptedNext([.status(500), .status(500), answer])
        for _ in 0..<3 { _ = try? await step.handle(request, context: .test(), next: next.call) }
        #expect(stats.of("r").failureStreak == expected)
    }
}
