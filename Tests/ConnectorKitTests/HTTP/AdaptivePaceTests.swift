@testable import ConnectorKit
import Foundation
import Testing

@Suite("HTTP: pace learned from 429s and rate-limit headers")
struct AdaptivePaceTests {
    static let now = ContinuousClock.now
    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let before: Double?
        let status: Int
        let headers: [(String, String)]
        let interval: Double?
        let pause: Double?
        var recent: Double? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a 429 pauses for Retry-After and spaces later starts", before: nil, status: 429,
            headers: [("Retry-After", "2"), ("X-RateLimit-Remaining", "0")], interval: 3, pause: 2),
        Case(
            name: "the precise X-RateLimit-Reset wins over a rounded Retry-After", before: nil, status: 429,
            headers: [("Retry-After", "1"), ("X-RateLimit-Reset", "0.1")], interval: 0.15, pause: 0.1),
        Case(
            name: "a 429 spaces starts half again wider than the recent starts were", before: nil, status: 429,
            headers: [("Retry-After", "1"), ("X-RateLimit-Remaining", "0")], interval: 0.075, pause: 1,
            recent: 0.05),
        Case(
            name: "a 429 slows an existing spacing by half again", before: 0.2, status: 429,
            headers: [("Retry-After", "0"), ("RateLimit-Remaining", "0")], interval: 0.3, pause: 0),
        Case(
            name: "a 429 that says only Remaining 0 pauses a second", before: nil, status: 429,
            headers: [("X-RateLimit-Remaining", "0")], interval: 1.5, pause: 1),
        Case(
            name: "a bare 429 pauses nothing: its request waits in the retry step, ProbedRate slows the rest",
            before: nil, status: 429,
            headers: [("Retry-After", "1")], interval: nil, pause: nil),
        Case(
            name: "Retry-After as an HTTP-date", before: nil, status: 429,
            headers: [("Retry-After", "Tue, 14 Nov 2023 22:13:24 GMT"), ("X-RateLimit-Remaining", "0")], interval: 6,
            pause: 4),
        Case(
            name: "a spent budget (Remaining 0) spaces starts by Reset, before any 429", before: nil, status: 200,
            headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "0.1")], interval: 0.1, pause: nil),
        Case(
            name: "RateLimit-* without the X- prefix, Reset as epoch seconds", before: 0.05, status: 200,
            headers: [("RateLimit-Remaining", "0"), ("RateLimit-Reset", "1700000000.5")], interval: 0.5,
            pause: nil),
        Case(
            name: "an answer with budget left speeds back up", before: 0.1, status: 200,
            headers: [("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", "0")], interval: 0.097, pause: nil),
        Case(name: "no objection, no spacing", before: nil, status: 200, headers: [], interval: nil, pause: nil),
        Case(
            name: "a negligible spacing is dropped", before: 0.001, status: 200, headers: [], interval: nil,
            pause: nil),
    ]

    @Test(arguments: cases)
    func learns(_ c: Case) {
        var pace = AdaptivePace()
        if let before = c.before {
            // Reach the starting spacing the way a run would: a spent budget with that reset.
            pace.observe(
                HTTPResponse(
                    status: 200, headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "\(before)")],
                    body: []), now: Self.now, date: Self.date)
            #expect(pace.interval == before)
        }
        pace.observe(
            HTTPResponse(status: c.status, headers: c.headers, body: []), now: Self.now, date: Self.date,
            recentSpacing: c.recent)
        if let expected = c.interval {
            #expect(abs((pace.interval ?? -1) - expected) < 1e-9)
        } else {
            #expect(pace.interval == nil)
        }
        #expect(pace.pausedUntil.map { Self.seconds($0 - Self.now) } == c.pause)
        #expect(pace.pauses == (c.pause == nil ? 0 : 1))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
