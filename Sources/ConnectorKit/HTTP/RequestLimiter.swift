/// Shared by every request to one origin: at most `maxConcurrent` in flight, and starts spaced
/// to `requestsPerSecond` when declared — the whole budget, no more. Without a declared rate
/// the pace is learned from the answers (`AdaptivePace`): fitted to an announced
/// `X-RateLimit-Limit` from the first answer, else slower after a 429 or a spent budget and
/// faster again after plain answers. A 429 that says when to come back pauses the origin.
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
    /// Requests started so far (a ticket's number), to tell how many started after one.
    private var started = 0

    /// One request's start, handed back with its answer (`observe(_:ticket:)`), so that what the
    /// answer says of the budget is read as of when the request started.
    public struct Ticket: Sendable {
        let start: ContinuousClock.Instant
        let number: Int
    }

    public init(requestsPerSecond: Double?, maxConcurrent: Int, clock: any RunClock = SystemClock()) {
        self.clock = clock
        self.nextStart = clock.now
        self.requestsPerSecond = requestsPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.declared = self.requestsPerSecond.map { 1 / $0 }
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// Seconds between two starts now: the declared spacing, else the learned one (nil: none).
    public var interval: Double? { declared ?? pace.learnedInterval }

    /// Waits for a slot and the pace; pair with `release()`.
    @discardableResult
    public func acquire() async -> Ticket {
        if inFlight >= maxConcurrent {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            inFlight += 1
        }
        let now = clock.now
        let learned = declared == nil
        let start = max(now, nextStart, learned ? pace.earliestStart(now: now) : pace.pausedUntil ?? now)
        if let spacing = declared ?? pace.spacing { nextStart = start + .microseconds(Int((spacing * 1e6).rounded())) }
        if learned { pace.started(at: start) }
        started += 1
        let number = started
        if start > now { try? await clock.sleep(for: start - now) }
        let began = clock.now
        if recentStarts.count >= 16 { recentStarts.removeFirst() }
        recentStarts.append(began)
        return Ticket(start: began, number: number)
    }

    /// Mean seconds between the latest starts (nil before two).
    private var recentSpacing: Double? {
        guard let first = recentStarts.first, let last = recentStarts.last, recentStarts.count > 1 else { return nil }
        let span = (last - first).components
        return (Double(span.seconds) + Double(span.attoseconds) / 1e18) / Double(recentStarts.count - 1)
    }

    /// Learns from an answer of the origin (see `AdaptivePace`) to the request of `ticket`.
    public func observe(_ response: HTTPResponse, ticket: Ticket? = nil) {
        let pauses = pace.pauses
        pace.observe(
            response, now: clock.now, date: clock.date, recentSpacing: recentSpacing, sentAt: ticket?.start,
            later: ticket.map { started - $0.number } ?? 0, others: max(0, inFlight - 1))
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
