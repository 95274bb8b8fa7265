@testable import ConnectorKit
import Foundation
import Testing

/// An origin that admits `rate` requests a second from a bucket of `capacity` (as the sandbox
/// does), on a test clock: over it a 429 with a rounded-up `Retry-After`, and the budget headers
/// when `headers` is on.
struct SimulatedOrigin {
    let rate: Double
    let capacity: Double
    let headers: Bool
    private var tokens: Double
    private var refilled: ContinuousClock.Instant

    init(rate: Double, capacity: Double, headers: Bool, now: ContinuousClock.Instant) {
        (self.rate, self.capacity, self.headers, tokens, refilled) = (rate, capacity, headers, capacity, now)
    }

    mutating func answer(at now: ContinuousClock.Instant) -> HTTPResponse {
        tokens = min(capacity, tokens + ProbedRate.seconds(now - refilled) * rate)
        refilled = now
        let admitted = tokens >= 1
        if admitted { tokens -= 1 }
        let reset = tokens >= 1 ? 0 : (1 - tokens) / rate
        var fields: [(String, String)] = admitted ? [] : [("Retry-After", String(Int(reset.rounded(.up))))]
        if headers {
            fields += [
                ("X-RateLimit-Limit", "\(rate)"), ("X-RateLimit-Remaining", "\(Int(tokens))"),
                ("X-RateLimit-Reset", String(format: "%.3f", reset)),
            ]
        }
        return HTTPResponse(status: admitted ? 200 : 429, headers: fields, body: [])
    }
}

@Suite("HTTP: a learned pace reaches the origin's limit quickly and stays under it")
struct LearnedPaceTests {
    static let limited = 10.0

    @Test("an announced X-RateLimit-Limit: the rest of the bucket at once, then exactly the limit")
    func fitsTheAnnouncedBucket() async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1, clock: clock)
        let first = await limiter.acquire()
        await limiter.release()
        let answer = HTTPResponse(
            status: 200,
            headers: [("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "9"), ("X-RateLimit-Reset", "0")],
            body: [])
        await limiter.observe(answer, ticket: first)
        for _ in 0..<11 {
            await limiter.acquire()
            await limiter.release()
        }
        // Read 5 ms after its start, the budget is taken as it was then: the first sleep is 5 ms shorter.
        #expect(clock.sleptSeconds.count == 2, "nine more at once (the bucket), then spaced")
        #expect(clock.sleptSeconds.allSatisfy { abs($0 - 0.1) <= 0.005 + 1e-9 }, "\(clock.sleptSeconds)")
        #expect(await limiter.interval == 0.1)
    }

    /// Two requests start together; the later one reaches the server first and is answered
    /// first: its Remaining 9 does not count the other one, which the server admitted after.
    @Test("the first announced budget counts the requests still in flight: the bucket is not overrun")
    func firstAnswerCountsRequestsInFlight() async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: nil, maxConcurrent: 2, clock: clock)
        await limiter.acquire()
        let second = await limiter.acquire()
        let answer = HTTPResponse(
            status: 200, headers: [("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "9")], body: [])
        await limiter.observe(answer, ticket: second)
        await limiter.release()
        await limiter.release()
        var atOnce = 0
        while clock.sleeps.isEmpty {
            await limiter.acquire()
            await limiter.release()
            if clock.sleeps.isEmpty { atOnce += 1 }
        }
        #expect(atOnce == 8, "ten in all fill the bucket of ten")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let headers: Bool
        let most429s: Int
        let mostOverFloor: Double
        var testDescription: String { name }
    }

    /// 300 requests one at a time, 50 ms each, against 10/s with a bucket of 10: the floor is
    /// (300 − 10) ÷ 10 = 29 s of the test clock; a 429 is sent again at once (the retry step's
    /// wait is not the limiter's).
    @Test(arguments: [
        Case(
            name: "announced by X-RateLimit-* headers: no 429, the whole budget", headers: true, most429s: 0,
            mostOverFloor: 1.01),
        Case(
            name: "bare 429s with Retry-After: a few 429s, then close to the limit", headers: false, most429s: 12,
            mostOverFloor: 1.1),
    ])
    func convergesOnTheLimit(_ c: Case) async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1, clock: clock)
        var origin = SimulatedOrigin(rate: Self.limited, capacity: Self.limited, headers: c.headers, now: clock.now)
        let begin = clock.now
        var refused = 0
        for _ in 0..<300 {
            while true {
                let ticket = await limiter.acquire()
                let answer = origin.answer(at: clock.now)
                try? await clock.sleep(for: .milliseconds(50))
                await limiter.observe(answer, ticket: ticket)
                await limiter.release()
                if answer.status == 200 { break }
                refused += 1
            }
        }
        let wall = ProbedRate.seconds(clock.now - begin)
        let floor = (300 - Self.limited) / Self.limited
        #expect(refused <= c.most429s, "\(refused) × 429, wall \(wall) s")
        #expect(wall <= floor * c.mostOverFloor, "wall \(wall) s against a floor of \(floor) s")
    }
}
