/// The origin's budget as its `X-RateLimit-*` headers announce it, kept as a token bucket on
/// this side (a GCRA: one "theoretical next start" instead of a token count): `Limit` requests
/// per window, as many at once after a quiet spell. Each answer re-aligns it from what the
/// server says it has left — `Remaining` (and, at 0, `Reset`: when one request is admitted
/// again) as of the request's own start, less the starts made since — so requests start as
/// fast as the budget allows from the first answer on, without probing for the limit. Pure.
struct AnnouncedBucket: Sendable, Equatable {
    /// Seconds one request's share of the budget takes to come back (window ÷ limit).
    private(set) var interval: Double
    /// Requests the bucket holds.
    private(set) var capacity: Double
    /// The bucket is empty until then; at most `capacity` starts fit before it.
    private var nextFree: ContinuousClock.Instant

    init?(_ signals: RateLimitSignals, now: ContinuousClock.Instant) {
        guard let limit = signals.limit else { return nil }
        interval = signals.window / limit
        capacity = max(1, limit.rounded(.down))
        nextFree = now
    }

    /// How far ahead of `nextFree` a start may be: the room of a full bucket less the one it takes.
    private var tolerance: Duration { Self.duration((capacity - 1) * interval) }

    /// The earliest instant a request asked for at `now` may start.
    func earliestStart(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        max(now, nextFree - tolerance)
    }

    /// Takes one request's share at `start`.
    mutating func started(at start: ContinuousClock.Instant) {
        nextFree = max(nextFree, start) + Self.duration(interval)
    }

    /// Re-aligns with an answer to a request started at `sentAt`, `later` starts ago: the
    /// server's budget after admitting it was `Remaining` (a whole count: up to one request
    /// more) or, at 0 with a `Reset`, one request short of `Reset` away. Only ever slower:
    /// requests started together may reach the server in another order, so an answer can
    /// count fewer of them than were admitted; this side counts every start already (and the
    /// bucket refills with time by itself). A new `Limit` resizes.
    mutating func align(with signals: RateLimitSignals, sentAt: ContinuousClock.Instant, later: Int) {
        if let limit = signals.limit {
            interval = signals.window / limit
            capacity = max(1, limit.rounded(.down))
        }
        guard let remaining = signals.remaining else { return }
        var left = Double(min(remaining, Int(capacity)))
        if remaining == 0, let reset = signals.reset { left = max(0, 1 - reset / interval) }
        nextFree = max(nextFree, sentAt + Self.duration((capacity - left + Double(later)) * interval))
    }

    static func duration(_ seconds: Double) -> Duration { .microseconds(Int((seconds * 1e6).rounded())) }
}
