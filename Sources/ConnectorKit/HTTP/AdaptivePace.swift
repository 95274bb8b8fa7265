import Foundation

/// The pace an origin's answers ask for, when the project declared none. Three sources, best first:
/// - an announced `X-RateLimit-Limit` (with `-Remaining` / `-Reset`): an `AnnouncedBucket` fitted
///   to it from the first answer, re-aligned by every answer — the whole budget, no probing;
/// - budget headers without a limit (`Remaining` / `Reset`, a 429 that carries them): a 429
///   pauses the whole origin for the server's wait and spaces later starts half again wider
///   than the spacing that met it (the recent starts'); `Remaining: 0` spaces starts by its
///   reset before any 429; other answers speed back up a little each;
/// - bare 429s (only `Retry-After`): the rate is searched for (`ProbedRate`); each such request
///   waits its own `Retry-After` in the retry step, the origin is not paused.
/// Pure (times are passed in), so it is tested without a clock.
struct AdaptivePace: Sendable, Equatable {
    /// Seconds between two starts learned from budget headers without a limit; nil while none.
    private(set) var interval: Double?
    /// No request starts before this (after a 429).
    private(set) var pausedUntil: ContinuousClock.Instant?
    /// Counts pauses, so a waiting request notices one that came while it slept.
    private(set) var pauses = 0
    /// The budget the origin announces, once it announced a limit.
    private(set) var bucket: AnnouncedBucket?
    /// The rate found from bare 429s.
    private(set) var probe = ProbedRate()

    /// Spacing grows by this after a 429 …
    static let slowDown = 1.5
    /// … and shrinks by this after an answer that does not say the budget is spent.
    static let speedUp = 0.97
    /// Below this spacing the origin is treated as unlimited again.
    static let negligible = 0.001
    /// A 429 that says nothing of when to come back pauses this long.
    static let defaultPause = 1.0
    /// How long after its start a request is taken to reach the server (read the budget a
    /// little late rather than early: early, the next start could come before the server refilled).
    static let sendDelay: Duration = .milliseconds(5)

    /// Seconds between two starts the pace keeps by itself (the bucket's is in `earliestStart`).
    var spacing: Double? { bucket == nil ? (interval ?? probe.interval) : nil }

    /// The announced or learned spacing, for a reader: nil when none.
    var learnedInterval: Double? { bucket?.interval ?? interval ?? probe.interval }

    /// When a request asked for at `now` may start, as far as the announced budget goes.
    func earliestStart(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        max(bucket?.earliestStart(now: now) ?? now, pausedUntil ?? now)
    }

    /// A request starts at `start`.
    mutating func started(at start: ContinuousClock.Instant) { bucket?.started(at: start) }

    /// What an answer teaches; `now` is monotonic, `date` the wall clock (for an HTTP-date or
    /// an epoch `Reset`); `recentSpacing` is the mean time between the origin's latest starts;
    /// `sentAt` when the answered request started, `later` the starts since, `others` the
    /// other requests in flight (the first announced budget may not count them yet).
    mutating func observe(
        _ response: HTTPResponse, now: ContinuousClock.Instant, date: Date, recentSpacing: Double? = nil,
        sentAt: ContinuousClock.Instant? = nil, later: Int = 0, others: Int = 0
    ) {
        let signals = RateLimitSignals(response, date: date)
        var counted = later
        if bucket == nil, let fitted = AnnouncedBucket(signals, now: now) {
            (bucket, counted) = (fitted, later + others)
        }
        if bucket != nil {
            let admitted = min(now, (sentAt ?? now) + Self.sendDelay)
            bucket?.align(with: signals, sentAt: admitted, later: counted)
            if response.status == 429, signals.remaining == nil {
                pause(for: signals.reset ?? signals.retryAfter ?? Self.defaultPause, now: now)
            }
        } else if response.status == 429, !signals.announcesBudget {
            probe.tooMany(sentAt: sentAt, now: now, measured: recentSpacing.flatMap { $0 > 0 ? 1 / $0 : nil })
        } else {
            if !signals.announcesBudget { probe.answered(sentAt: sentAt, now: now) }
            learn(from: signals, status: response.status, now: now, recentSpacing: recentSpacing)
        }
    }

    /// Budget headers without a limit: pause and slow down on a 429, speed up otherwise.
    private mutating func learn(
        from signals: RateLimitSignals, status: Int, now: ContinuousClock.Instant, recentSpacing: Double?
    ) {
        if status == 429 {
            let wait = signals.reset ?? signals.retryAfter ?? Self.defaultPause
            pause(for: wait, now: now)
            let met = max(interval ?? 0, recentSpacing ?? 0)
            interval = (met >= Self.negligible ? met : wait) * Self.slowDown
        } else if signals.remaining == 0, let reset = signals.reset, reset > 0 {
            interval = max(interval ?? 0, reset)
        } else if let current = interval {
            interval = current * Self.speedUp < Self.negligible ? nil : current * Self.speedUp
        }
    }

    /// No request of the origin starts for `seconds`.
    private mutating func pause(for seconds: Double, now: ContinuousClock.Instant) {
        pausedUntil = max(pausedUntil ?? now, now + .milliseconds(Int((seconds * 1000).rounded(.up))))
        pauses += 1
    }
}
