/// Shared by every request to one origin: at most `maxConcurrent` in flight, and starts spaced
/// to `requestsPerSecond` when declared — the whole budget, no more. Without a declared rate
/// the spacing is learned from the answers (`AdaptivePace`): slower after a 429 or a spent
/// budget, faster again after plain answers. A 429 pauses every request of the origin.
public actor RequestLimiter {
    private let declared: Double?
    /// The most requests in flight at once.
    public nonisolated let maxConcurrent: Int
    /// The declared rate this limiter spaces starts to (nil: learned from the answers).
    public nonisolated let requestsPerSecond: Double?
    private var inFlight = 0
    private let clock: any RunClock
    private var nextStart: ContinuousClock.Instant
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pace = AdaptivePace()
    /// The latest starts, oldest first, to tell the pace how fast the origin was asked.
    private var recentStarts: [ContinuousClock.Instant] = []

    public init(requestsPerSecond: Double?, maxConcurrent: Int, clock: any RunClock = SystemClock()) {
        self.clock = clock
        self.nextStart = clock.now
        self.requestsPerSecond = requestsPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.declared = self.requestsPerSecond.map { 1 / $0 }
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// Seconds between two starts now: the declared spacing, else the learned one (nil: none).
    public var interval: Double? { declared ?? pace.interval }

    /// Waits for a slot; pair with `release()`.
    public func acquire() async {
        if inFlight >= maxConcurrent {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            inFlight += 1
        }
        let now = clock.now
        let start = max(now, nextStart, pace.pausedUntil ?? now)
        if let interval { nextStart = start + .milliseconds(Int((interval * 1000).rounded())) }
        if start > now { try? await clock.sleep(for: start - now) }
        if recentStarts.count >= 16 { recentStarts.removeFirst() }
        recentStarts.append(clock.now)
    }

    /// Mean seconds between the latest starts (nil before two).
    private var recentSpacing: Double? {
        guard let first = recentStarts.first, let last = recentStarts.last, recentStarts.count > 1 else { return nil }
        let span = (last - first).components
        return (Double(span.seconds) + Double(span.attoseconds) / 1e18) / Double(recentStarts.count - 1)
    }

    /// Learns from an answer of the origin (see `AdaptivePace`).
    public func observe(_ response: HTTPResponse) {
        let pauses = pace.pauses
        pace.observe(response, now: clock.now, date: clock.date, recentSpacing: recentSpacing)
        if pace.pauses != pauses, let until = pace.pausedUntil { nextStart = max(nextStart, until) }
    }

    public func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
