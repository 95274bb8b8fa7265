/// The rate an origin that answers bare 429s (only `Retry-After`, no budget headers) admits,
/// found by a binary search: a 429 marks the rate it met as too fast and goes halfway back to
/// the fastest rate held cleanly (to 85% of it before one is known); a rate held
/// cleanly a while marks it safe and goes halfway up. Within a few percent it holds, and now
/// and then tries a little faster, so a limit that lifts is followed up. A 429 for a request
/// that started before the rate last changed teaches nothing new (it answers the old rate).
///
/// Not every 429 answers the rate: some origins shed a share of requests whatever the pace. Against
/// a rate limit, slowing down keeps the answers per second (the limit's) and only the 429s go; when
/// a rate well below an earlier one (`judgeRatio`) still meets 429s and its answers per second fell
/// with it, the 429s are not about the rate: the search goes back to that earlier rate and cuts no
/// lower (`floor`), each such request waiting its own `Retry-After`. Without this, the search
/// halved its way down to `slowest` and a run against a flaky origin took hours.
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
    /// When the first and the latest of those answers came: the answers per second between them.
    private var firstAnswer: ContinuousClock.Instant?
    private var lastAnswer: ContinuousClock.Instant?
    /// The first rate whose answers were timed (`judgeAnswers`, `judgeSeconds`) before a 429, and
    /// its answers per second: what slower rates are judged against.
    private var reference: Timed?
    /// No 429 cuts below this rate: slowing down below it did not make 429s rarer.
    private(set) var floor: Double?

    /// A rate and the answers per second it got.
    private struct Timed: Sendable, Equatable {
        var rate: Double
        var answersPerSecond: Double
    }

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
    /// A rate's answers per second count once this many answers and seconds came before a 429 …
    static let judgeAnswers = 5
    static let judgeSeconds = 0.5
    /// … and are compared with the reference's at this fraction of its rate or less.
    static let judgeRatio = 0.8

    /// Seconds between two starts; nil: no spacing.
    var interval: Double? { rate.map { 1 / $0 } }

    /// A 429 to a request started at `sentAt`; `measured` is the rate the origin was recently asked at.
    mutating func tooMany(sentAt: ContinuousClock.Instant?, now: ContinuousClock.Instant, measured: Double?) {
        if let since, let sentAt, sentAt < since { return }
        if let current = rate, notAboutRate(current) {
            restart(at: now)
            return
        }
        let met = [rate, measured].compactMap { $0 }.min() ?? 1
        let top = min(high ?? met, met)
        high = top
        // Still too fast so close to the rate held: that one was too fast too (the origin's
        // bucket hid it a while), so the safe bound goes a little below the rate met.
        low = low.map { min($0, top * (1 - 2 * Self.closeEnough)) }
        rate = max(Self.slowest, low.map { ($0 + top) / 2 } ?? top * Self.firstCut)
        restart(at: now)
    }

    /// An answer that was not a 429, to a request started at `sentAt`.
    mutating func answered(sentAt: ContinuousClock.Instant?, now: ContinuousClock.Instant) {
        guard let current = rate, let since, (sentAt ?? now) >= since else { return }
        clean += 1
        firstAnswer = firstAnswer ?? now
        lastAnswer = now
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
        restart(at: now)
    }

    /// Whether a 429 at `current` is one slowing down does not spare: at or below
    /// `floor`, or at a rate well below the reference's whose answers per second fell with it (a
    /// rate limit keeps them). Then the rate goes back to the reference's, which becomes the floor.
    private mutating func notAboutRate(_ current: Double) -> Bool {
        if let floor, current <= floor { return true }
        // Timed between answers, not from `since`: the first answers take the latency to come.
        guard clean >= Self.judgeAnswers, let firstAnswer, let lastAnswer else { return false }
        let elapsed = Self.seconds(lastAnswer - firstAnswer)
        guard elapsed >= Self.judgeSeconds else { return false }
        let timed = Timed(rate: current, answersPerSecond: Double(clean - 1) / elapsed)
        guard let reference else {
            self.reference = timed
            return false
        }
        guard current <= reference.rate * Self.judgeRatio else { return false }
        let slowed = current / reference.rate
        // A limit keeps the answers per second (ratio near 1); shedding loses them with the rate.
        guard timed.answersPerSecond / reference.answersPerSecond < (1 + slowed) / 2 else { return false }
        floor = reference.rate
        rate = reference.rate
        low = reference.rate
        high = nil
        return true
    }

    /// A new rate, or a 429 at this one: its answers are counted afresh from `now`.
    private mutating func restart(at now: ContinuousClock.Instant) {
        since = now
        clean = 0
        firstAnswer = nil
        lastAnswer = nil
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
