@testable import ConnectorKit
import Foundation
import Testing

@Suite("HTTP step: retry")
struct RetryStepTests {
    let request = HTTPRequest(url: "https://api.example.com/x?token=s3cret")

    func step(
        _ spec: RetrySpec = RetrySpec(maxAttempts: 4, baseDelay: 1, maxDelay: 8),
        stats: RequestStats = RequestStats(),
        clock: TestClock, jitter: Double = 1
    ) -> RetryStep {
        RetryStep(spec: spec, stats: stats, clock: clock, jitter: FixedJitter(value: jitter))
    }

    @Test("retryable statuses and transport failures are sent again until an answer; attempts counted")
    func retriesUntilAnswer() async throws {
        let clock = TestClock(), stats = RequestStats()
        let next = ScriptedNext([.status(503), .transport(sent: true), .status(429), .status(200)])
        let response = try await step(stats: stats, clock: clock).handle(request, context: .test(), next: next.call)
        #expect(response.status == 200)
        #expect(response.attempts == 4)
        #expect(next.contexts.map(\.attempt) == [1, 2, 3, 4])
        #expect(stats.of("r").retries == 3)
        #expect(clock.sleptSeconds == [1, 2, 4], "full backoff at jitter 1: base × 2^(attempt-1)")
    }

    @Test("every retry is told before its wait: what failed, which attempt comes next, how long the wait is")
    func tellsEachRetry() async throws {
        let clock = TestClock(), notices = LockedBox([RetryNotice]())
        let next = ScriptedNext([.status(503), .transport(sent: false), .status(200)])
        let retry = RetryStep(
            spec: RetrySpec(maxAttempts: 4, baseDelay: 1, maxDelay: 8), stats: RequestStats(),
            clock: clock, jitter: FixedJitter(value: 1)
        ) { notice in notices.withLock { $0.append(notice) } }
        _ = try await retry.handle(request, context: .test(), next: next.call)
        let told = notices.withLock { $0 }
        #expect(told.map(\.nextAttempt) == [2, 3])
        #expect(told.map(\.wait) == clock.sleptSeconds)
        #expect(
            told.first?.description.contains("HTTP 503; retry 2/4 in 1.0 s") == true, "\(told.first?.description ?? "")"
        )
        #expect(told.allSatisfy { !$0.description.contains("s3cret") }, "the URL is redacted")
    }

    @Test(
        "backoff is between half and all of the capped exponential",
        arguments: [
            (0.0, [0.5, 1, 2, 3]), (1.0, [1, 2, 4, 6]), (0.5, [0.75, 1.5, 3, 4.5]),
        ])
    func backoff(_ jitter: Double, _ expected: [Double]) async throws {
        let clock = TestClock()
        let next = ScriptedNext([.status(500), .status(500), .status(500), .status(500), .status(200)])
        let spec = RetrySpec(maxAttempts: 5, baseDelay: 1, maxDelay: 6)
        _ = try await step(spec, clock: clock, jitter: jitter).handle(request, context: .test(), next: next.call)
        #expect(clock.sleptSeconds == expected)
    }

    @Test(
        "Retry-After in seconds or as an HTTP-date is waited, capped at max_delay",
        arguments: [
            ("3", 3.0), ("0", 0.0), ("120", 8.0), ("Tue, 14 Nov 2023 22:13:25 GMT", 5.0),
            ("Tue, 14 Nov 2023 22:13:00 GMT", 0.0), ("soon", 1.0),
        ])
    func retryAfter(_ header: String, _ expected: Double) async throws {
        let clock = TestClock(date: Date(timeIntervalSince1970: 1_700_000_000))  // Tue, 14 Nov 2023 22:13:20 GMT
        let next = ScriptedNext([.status(429, headers: [("Retry-After", header)]), .status(200)])
        _ = try await step(clock: clock).handle(request, context: .test(), next: next.call)
        #expect(clock.sleptSeconds == (expected > 0 ? [expected] : []), "an unreadable value falls back to backoff")
    }

    @Test("a persistent failure is final after max_attempts, with status, attempts and a redacted URL")
    func givesUp() async throws {
        let clock = TestClock()
        let next = ScriptedNext([.status(502)])
        let e = await #expect(throws: ExtractError.self) {
            _ = try await step(clock: clock).handle(request, context: .test("orders"), next: next.call)
        }
        #expect(next.requests.count == 4)
        #expect(e?.status == 502)
        #expect(e?.attempts == 4)
        #expect(e?.url.contains("s3cret") == false)
    }

    @Test("the run's retry budget is shared: once spent, the first failure is final")
    func budget() async throws {
        let stats = RequestStats()
        let spec = RetrySpec(maxAttempts: 10, baseDelay: 1, maxDelay: 1, runBudget: 2)
        let next = ScriptedNext([.transport(sent: false)])
        let s = step(spec, stats: stats, clock: TestClock())
        for _ in 0..<2 {
            _ = await #expect(throws: ExtractError.self) {
                _ = try await s.handle(request, context: .test(), next: next.call)
            }
        }
        #expect(next.requests.count == 4, "2 retries in all, then one final attempt per request")
    }

    @Test(
        "errors that are not transport failures are not retried",
        arguments: [
            ExtractError(.configuration, resource: "r", message: "bad header"),
            ExtractError(.cancelled, resource: "r", message: ""),
            ExtractError(.transport, resource: "r", message: "circuit breaker open"),
        ])
    func notRetried(_ error: ExtractError) async throws {
        let next = ScriptedNext([.error(error)])
        _ = await #expect(throws: ExtractError.self) {
            _ = try await step(clock: TestClock()).handle(request, context: .test(), next: next.call)
        }
        #expect(next.requests.count == 1)
    }

    @Test("a status that is not retryable is returned at once", arguments: [200, 304, 400, 401, 404])
    func returned(_ status: Int) async throws {
        let clock = TestClock()
        let next = ScriptedNext([.status(status)])
        let response = try await step(clock: clock).handle(request, context: .test(), next: next.call)
        #expect(response.status == status)
        #expect(response.attempts == 1)
        #expect(clock.sleeps.isEmpty)
    }
}
