@testable import ConnectorKit
import Testing

@Suite("HTTP: the rate behind bare 429s is searched for")
struct ProbedRateTests {
    static let t0 = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int(seconds * 1000)) }

    @Test("a 429 cuts to 85% of the rate met; one for a request sent before the cut is not counted again")
    func cutsOnce() {
        var probe = ProbedRate()
        probe.tooMany(sentAt: Self.at(0), now: Self.at(1), measured: 20)
        #expect(probe.rate == 17)
        probe.tooMany(sentAt: Self.at(0.5), now: Self.at(1.1), measured: 20)
        #expect(probe.rate == 17, "sent at the old rate")
        probe.tooMany(sentAt: Self.at(1.2), now: Self.at(1.5), measured: 20)
        #expect(probe.rate == 17 * 0.85)
        #expect(probe.high == 17)
    }

    @Test("a rate held cleanly goes halfway up to the one that met a 429; found, it holds, then tries a little faster")
    func searchesUpAndHolds() {
        var probe = ProbedRate()
        probe.tooMany(sentAt: nil, now: Self.at(0), measured: 12)  // high 12, rate 10.2
        for i in 1...ProbedRate.holdAnswers { probe.answered(sentAt: Self.at(0.05), now: Self.at(0.09 * Double(i))) }
        #expect(probe.rate == 10.2, "held too short (two seconds) to count")
        probe.answered(sentAt: Self.at(0.1), now: Self.at(2))
        #expect(probe.low == 10.2)
        #expect(probe.rate == 11.1)
        probe.tooMany(sentAt: Self.at(2.5), now: Self.at(3), measured: 12)  // high 11.1
        #expect(probe.rate == (10.2 + 11.1) / 2)
        var now = 3.0
        while probe.high.map({ $0 - (probe.rate ?? 0) > $0 * ProbedRate.closeEnough }) == true {
            now += 2
            for _ in 0..<ProbedRate.holdAnswers { probe.answered(sentAt: Self.at(now - 1), now: Self.at(now)) }
        }
        let found = probe.rate
        #expect((found ?? 0) > 10.65 && (found ?? 0) < 11.1)
        now += 5
        for _ in 0..<ProbedRate.holdAnswers { probe.answered(sentAt: Self.at(now - 1), now: Self.at(now)) }
        #expect(probe.rate == found, "found: held")
        now += ProbedRate.probeAfterSeconds
        for _ in 0..<ProbedRate.holdAnswers { probe.answered(sentAt: Self.at(now - 1), now: Self.at(now)) }
        #expect(probe.rate.map { abs($0 - (found ?? 0) * ProbedRate.probeStep) < 1e-9 } == true, "then a little faster")
    }
}
