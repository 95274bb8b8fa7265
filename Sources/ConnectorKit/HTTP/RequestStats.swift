/// Request counters of a source, in total and per resource.
public final class RequestStats: Sendable {
    public struct Counts: Sendable { public var requests = 0, retries = 0, bytes = 0, failureStreak = 0 }
    private let storage = LockedBox([String: Counts]())
    public init() {}

    func count(_ resource: String, request: Int = 0, retry: Int = 0, bytes: Int = 0) {
        storage.withLock {
            $0[resource, default: Counts()].requests += request
            $0[resource, default: Counts()].retries += retry
            $0[resource, default: Counts()].bytes += bytes
        }
    }

    /// Tracks failed attempts in a row; a success resets the streak.
    func count(_ resource: String, failed: Bool) {
        storage.withLock {
            $0[resource, default: Counts()].failureStreak = failed ? ($0[resource]?.failureStreak ?? 0) + 1 : 0
        }
    }

    public func of(_ resource: String) -> Counts { storage.withLock { $0[resource] ?? Counts() } }

    public var total: Counts {
        storage.withLock { all in
            all.values.reduce(into: Counts()) {
                $0.requests += $1.requests; $0.retries += $1.retries; $0.bytes += $1.bytes
            }
        }
    }
}
