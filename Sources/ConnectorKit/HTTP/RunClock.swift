import Foundation

/// Time as the engine sees it: monotonic instants for spacing and timeouts, the wall date to
/// read a server's dates, and sleeping. Injected so tests of retries, rate limits and polls
/// run on a test clock in milliseconds instead of waiting on the wall clock.
public protocol RunClock: Sendable {
    /// Monotonic now, for intervals (rate limits, poll timeouts).
    var now: ContinuousClock.Instant { get }
    /// Wall-clock now, to compare with a date the server sent (`Retry-After: <HTTP-date>`).
    var date: Date { get }
    /// Sleeps; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

extension RunClock {
    /// Sleeps `seconds` (nothing for zero or less).
    func sleep(seconds: Double) async throws {
        if seconds > 0 { try await sleep(for: .milliseconds(Int(seconds * 1000))) }
    }
}

/// The real clock.
public struct SystemClock: RunClock {
    public init() {}
    public var now: ContinuousClock.Instant { ContinuousClock.now }
    public var date: Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Where the random part of a backoff comes from: a fraction in 0...1.
public protocol JitterSource: Sendable {
    func fraction() -> Double
}

/// The system's random numbers.
public struct RandomJitter: JitterSource {
    public init() {}
    public func fraction() -> Double { Double.random(in: 0...1) }
}
