/// Shared by every request of one source: at most `maxConcurrent` in flight, and starts
/// spaced to `requestsPerSecond`.
public actor RequestLimiter {
    private let interval: Duration?
    private let maxConcurrent: Int
    private var inFlight = 0
    private let clock: any RunClock
    private var nextStart: ContinuousClock.Instant
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(requestsPerSecond: Double?, maxConcurrent: Int, clock: any RunClock = SystemClock()) {
        self.clock = clock
        self.nextStart = clock.now
        self.interval = requestsPerSecond.flatMap { $0 > 0 ? Duration.seconds(1 / $0) : nil }
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// Waits for a slot; pair with `release()`.
    public func acquire() async {
        if inFlight >= maxConcurrent {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            inFlight += 1
        }
        if let interval {
            let now = clock.now
            let start = max(now, nextStart)
            nextStart = start + interval
            if start > now { try? await clock.sleep(for: start - now) }
        }
    }

    public func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
