import Foundation

/// The pace an origin's answers ask for, when the project declared none: what a limiter learns
/// from a `429` that carries rate-limit headers, its `Retry-After`, and the headers (`X-RateLimit-Remaining` / `-Reset`, or
/// the unprefixed `RateLimit-*`). A 429 pauses the whole origin for the server's wait and
/// spaces later starts half again wider than the spacing that met it (the recent starts'); an
/// answer saying the budget is spent (`Remaining: 0`) spaces starts by its reset time before
/// any 429; other answers speed back up a little each, until no spacing is left. Pure (times
/// are passed in), so it is tested without a clock.
struct AdaptivePace: Sendable, Equatable {
    /// Seconds between two starts; nil while the origin has not objected.
    private(set) var interval: Double?
    /// No request starts before this (after a 429).
    private(set) var pausedUntil: ContinuousClock.Instant?
    /// Counts pauses, so a waiting request notices one that came while it slept.
    private(set) var pauses = 0

    /// Spacing grows by this after a 429 …
    static let slowDown = 1.5
    /// … and shrinks by this after an answer that does not say the budget is spent.
    static let speedUp = 0.97
    /// Below this spacing the origin is treated as unlimited again.
    static let negligible = 0.001
    /// A 429 that says nothing of when to come back pauses this long.
    static let defaultPause = 1.0

    /// What an answer teaches; `now` is monotonic, `date` the wall clock (for an HTTP-date or
    /// an epoch `Reset`); `recentSpacing` is the mean time between the origin's latest starts.
    mutating func observe(
        _ response: HTTPResponse, now: ContinuousClock.Instant, date: Date, recentSpacing: Double? = nil
    ) {
        let signals = RateLimitSignals(response, date: date)
        // A 429 without rate-limit headers may be a passing fault, not a limit: its request
        // waits its Retry-After in the retry step, the origin's pace is left alone.
        if response.status == 429, signals.remaining == nil, signals.reset == nil { return }
        if response.status == 429 {
            let wait = signals.reset ?? signals.retryAfter ?? Self.defaultPause
            pausedUntil = max(pausedUntil ?? now, now + .milliseconds(Int((wait * 1000).rounded(.up))))
            pauses += 1
            let met = max(interval ?? 0, recentSpacing ?? 0)
            interval = (met >= Self.negligible ? met : wait) * Self.slowDown
        } else if signals.remaining == 0, let reset = signals.reset, reset > 0 {
            interval = max(interval ?? 0, reset)
        } else if let current = interval {
            interval = current * Self.speedUp < Self.negligible ? nil : current * Self.speedUp
        }
    }
}

/// The rate-limit headers of one answer, in seconds from now.
struct RateLimitSignals: Sendable {
    var remaining: Int?
    var reset: Double?
    var retryAfter: Double?

    init(_ response: HTTPResponse, date: Date) {
        remaining = (response.header("X-RateLimit-Remaining") ?? response.header("RateLimit-Remaining"))
            .flatMap { Int($0.trimmingSpaces) }
        reset = (response.header("X-RateLimit-Reset") ?? response.header("RateLimit-Reset"))
            .flatMap { Double($0.trimmingSpaces) }
            .map { value in value > 1_000_000_000 ? value - date.timeIntervalSince1970 : value }  // epoch seconds
            .map { max(0, $0) }
        if let value = response.header("Retry-After")?.trimmingSpaces {
            retryAfter = Double(value) ?? RetryDelays.httpDate(value).map { $0.timeIntervalSince(date) }
            retryAfter = retryAfter.map { max(0, $0) }
        }
    }
}
