/// The rate an origin that answers bare 429s (only `Retry-After`, no budget headers) admits,
/// found by a binary search: a 429 marks the rate it met as too fast and goes halfway back to
/// the fastest rate held cleanly (to 85% of it before one is known); a rate held
/// cleanly a while marks it safe and goes halfway up. Within a few percent it holds, and now
/// and then tries a little faster, so a limit that lifts is followed up. A 429 for a request
/// that started before the rate last changed teaches nothing new (it answers the old rate).
/// Pure: times are passed in.
struct ProbedRate: Sendable, Equatable {
    /// Requests per second now; nil while the origin has not objected.
    private(set) var rate: Double?
    /// The fastest rate held without a 429 …
    private(set) var low: Double?
    /// … and the slowest one that met a 429.
    private(set) var high: Double?
    /// When `rate` was set, and the answers since (to requests started at it).
    private var since: ContinuousClock.Instant?
    private var clean = 0

    /// Before a rate known to be safe, a 429 cuts the rate it met by this.
    static let firstCut = 0.85
    /// A rate counts as held after this many answers and seconds without a 429.
    static let holdAnswers = 20
    static let holdSeconds = 2.0
    /// Low and high this close (a fraction of high): the rate is found; it holds.
    static let closeEnough = 0.03
    /// After holding a found rate this long, try this much faster.
    static let probeAfterSeconds = 15.0
    static let probeStep = 1.05
    /// Never slower than this (requests per second).
    static let slowest = 0.05

    /// Seconds between two starts; nil: no spacing.
    var interval: Double? { rate.map { 1 / $0 } }

    /// A 429 to a request started at `sentAt`; `measured` is the rate the origin was recently asked at.
    mutating func tooMany(sentAt: ContinuousClock.Instant?, now: ContinuousClock.Instant, measured: Double?) {
        if let since, let sentAt, sentAt < since { return }
        let met = [rate, measured].compactMap { $0 }.min() ?? 1
        let top = min(high ?? met, met)
        high = top
        // Still too fast so close to the rate held: that one was too fast too (the origin's
        // bucket hid it a while), so the safe bound goes a little below the rate met.
        low = low.map { min($0, top * (1 - 2 * Self.closeEnough)) }
        rate = max(Self.slowest, low.map { ($0 + top) / 2 } ?? top * Self.firstCut)
        since = now
        clean = 0
    }

    /// An answer that was not a 429, to a request started at `sentAt`.
    mutating func answered(sentAt: ContinuousClock.Instant?, now: ContinuousClock.Instant) {
        guard let current = rate, let since, (sentAt ?? now) >= since else { return }
        clean += 1
        let held = Self.seconds(now - since)
        guard clean >= Self.holdAnswers, held >= Self.holdSeconds else { return }
        low = max(low ?? 0, current)
        if let top = high, top - current > top * Self.closeEnough {
            rate = (current + top) / 2
        } else if held >= Self.probeAfterSeconds {
            high = current * Self.probeStep * Self.probeStep
            rate = current * Self.probeStep
        } else {
            return
        }
        self.since = now
        clean = 0
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
