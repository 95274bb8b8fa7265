@testable import ConnectorKit
import Foundation
import Testing

/// `client.retry.statuses`: which error statuses an API means as "try again later". Only those are
/// sent again (and count toward the circuit breaker); any other error status is final at once.
@Suite("HTTP step: retry statuses")
struct RetryStatusesTests {
    let request = HTTPRequest(url: "https://api.example.com/x")

    @Test(
        "a status is retried exactly when the policy lists it",
        arguments: [
            // (policy, status the server keeps answering, attempts made)
            (RetrySpec.defaultStatuses, 503, 3),
            (RetrySpec.defaultStatuses, 429, 3),
            (RetrySpec.defaultStatuses, 501, 1),
            (RetrySpec.defaultStatuses, 409, 1),
            (Set([409, 503]), 409, 3),
            (Set([409, 503]), 503, 3),
            (Set([409, 503]), 429, 1),
            (Set([409, 503]), 500, 1),
        ] as [(Set<Int>, Int, Int)])
    func policy(_ statuses: Set<Int>, _ status: Int, _ attempts: Int) async throws {
        let spec = RetrySpec(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.001, statuses: statuses)
        let step = RetryStep(spec: spec, stats: RequestStats(), clock: TestClock(), jitter: FixedJitter(value: 1))
        let next = ScriptedNext([.status(status)])
        do {
            let response = try await step.handle(request, context: .test(), next: next.call)
            #expect(response.status == status, "a status not retried is returned for the caller to judge")
        } catch {
            #expect(error.status == status, "retries spent: the last status is the failure")
        }
        #expect(next.requests.count == attempts)
    }

    @Test(
        "the circuit breaker counts the statuses the policy retries",
        arguments: [(RetrySpec.defaultStatuses, 409, 0), (Set([409]), 409, 1), (Set([409]), 503, 0)]
            as [(Set<Int>, Int, Int)])
    func breaker(_ statuses: Set<Int>, _ status: Int, _ streak: Int) async throws {
        let stats = RequestStats()
        let step = CircuitBreakerStep(limit: 5, stats: stats, retryable: statuses)
        _ = try await step.handle(request, context: .test(), next: ScriptedNext([.status(status)]).call)
        #expect(stats.of("r").failureStreak == streak)
    }

    static func spec(_ retry: String) -> String {
        """
        sources:
          api:
            client:
              base_url: http://example.invalid
              retry: \(retry)
            resources: [users]
        """
    }

    @Test("`statuses` replaces the default list; anything but an error status is refused where it is written")
    func reading() throws {
        let loader = SpecLoader(environment: [:])
        let read = { (retry: String) throws in
            try loader.parseSources(Self.spec(retry), file: "sources.yaml").source(named: "api")?.client.retry
        }
        #expect(try read("{max_attempts: 2}")?.statuses == RetrySpec.defaultStatuses)
        #expect(try read("{statuses: [429, 503, 409]}")?.statuses == [409, 429, 503])
        let error = #expect(throws: SpecError.self) { _ = try read("{statuses: [429, 200]}") }
        #expect(
            error?.message.contains("HTTP error statuses (400–599), found '200'") == true, "\(error?.message ?? "")")
        #expect(error?.location?.line == 5)
    }
}
