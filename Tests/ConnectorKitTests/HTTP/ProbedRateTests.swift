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

    /// Requests sent at the probed rate (at `unlimited` per second before any 429), each answered
    /// 100 ms later, a 429 when `tooMany(sent, index)` says so: the probe after `seconds`.
    static func simulate(
        seconds: Double, unlimited: Double, tooMany: (Double, Int) -> Bool
    ) -> ProbedRate {
        var probe = ProbedRate()
        var pending: [(sent: Double, tooMany: Bool)] = []
        var t = 0.0
        var i = 0
        while t < seconds {
            while let first = pending.first, first.sent + 0.1 <= t {
                pending.removeFirst()
                let (sent, now) = (at(first.sent), at(first.sent + 0.1))
                if first.tooMany {
                    probe.tooMany(sentAt: sent, now: now, measured: probe.rate ?? unlimited)
                } else {
                    probe.answered(sentAt: sent, now: now)
                }
            }
            pending.append((t, tooMany(t, i)))
            i += 1
            t += 1 / (probe.rate ?? unlimited)
        }
        return probe
    }

    @Test("429s for one request in 17 whatever the pace: the search stops where slowing stopped helping")
    func sheddingIsNotALimit() {
        let probe = Self.simulate(seconds: 120, unlimited: 100) { _, i in i % 17 == 16 }
        // Before: each such 429 cut the rate again, down to `slowest` (0.05 per second).
        #expect((probe.rate ?? 0) >= 15, "rate \(probe.rate ?? 0)")
        #expect(probe.floor != nil)
    }

    @Test("a real limit (10 per second, a burst of 10) is still searched down to, and no floor is set")
    func aLimitIsStillFound() {
        var tokens = 10.0
        var last = 0.0
        let probe = Self.simulate(seconds: 120, unlimited: 40) { t, _ in
            tokens = min(10, tokens + (t - last) * 10)
            last = t
            guard tokens >= 1 else { return true }
            tokens -= 1
            return false
        }
        #expect(probe.floor == nil)
        #expect((probe.rate ?? 0) > 7 && (probe.rate ?? 0) <= 10.5, "rate \(probe.rate ?? 0)")
    }
}
