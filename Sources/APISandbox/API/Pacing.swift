import Foundation
import Synchronization

/// How the sandbox behaves like an API on the internet rather than on loopback: each answer
/// waits a latency drawn from a range (deterministic by seed and request number), each host
/// admits requests at a rate (a token bucket: over it, 429 with `Retry-After`, optionally the
/// `X-RateLimit-*` headers), and each host counts a weekly quota. All off by default.
public struct PacingConfiguration: Sendable, Equatable {
    /// Seconds an answer waits, drawn uniformly from this range (`0...0`: none).
    public var latency: ClosedRange<Double>
    /// Requests admitted per second per host; nil admits everything.
    public var requestsPerSecond: Double?
    /// Requests a host admits at once after a quiet spell (the bucket's size); nil = one second's worth.
    public var burst: Int?
    /// Requests a host admits per week; past it every request is 429 `quota_exceeded`.
    public var weeklyQuota: Int?
    /// Sends `X-RateLimit-Limit` (per second), `-Remaining` and `-Reset` (seconds until a request is admitted).
    public var rateLimitHeaders: Bool

    public init(
        latency: ClosedRange<Double> = 0...0, requestsPerSecond: Double? = nil, burst: Int? = nil,
        weeklyQuota: Int? = nil, rateLimitHeaders: Bool = false
    ) {
        self.latency = max(0, latency.lowerBound)...max(0, latency.upperBound)
        self.requestsPerSecond = requestsPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.burst = burst.map { max(1, $0) }
        self.weeklyQuota = weeklyQuota
        self.rateLimitHeaders = rateLimitHeaders
    }

    /// The bucket's size: `burst`, else one second's worth (at least one).
    var capacity: Double { Double(burst ?? max(1, Int((requestsPerSecond ?? 1).rounded(.down)))) }
}

/// What one host of the sandbox saw: requests, 429s it answered (rate and quota), quota used.
public struct HostPacingCounts: Sendable, Equatable {
    public var requests = 0
    public var limited = 0
    public var quotaUsed = 0
}

/// The per-host buckets and counters behind `PacingConfiguration`.
final class Pacer: Sendable {
    let configuration: PacingConfiguration
    private let random: Deterministic
    private let hosts = Mutex([String: HostState]())
    private let clock = ContinuousClock()

    struct HostState {
        var tokens: Double
        var refilled: ContinuousClock.Instant
        var counts = HostPacingCounts()
    }

    init(_ configuration: PacingConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.random = Deterministic(seed: seed)
    }

    /// Counts the request against its host; a 429 when the host's rate or quota is spent, else
    /// the headers to add to the real answer.
    func admit(host: String) -> (refusal: SandboxResponse?, headers: [(String, String)]) {
        let now = clock.now
        return hosts.withLock { all in
            var state = all[host] ?? HostState(tokens: configuration.capacity, refilled: now)
            defer { all[host] = state }
            state.counts.requests += 1
            if let quota = configuration.weeklyQuota, state.counts.quotaUsed >= quota {
                state.counts.limited += 1
                var r = SandboxResponse.error(429, code: "quota_exceeded", message: "Weekly quota of \(quota) used")
                r.headers.append(("Retry-After", String(Self.secondsToWeekEnd(Date()))))
                return (r, [])
            }
            guard let rate = configuration.requestsPerSecond else {
                state.counts.quotaUsed += 1
                return (nil, [])
            }
            let since = (now - state.refilled).components
            let elapsed = Double(since.seconds) + Double(since.attoseconds) / 1e18
            state.tokens = min(configuration.capacity, state.tokens + elapsed * rate)
            state.refilled = now
            guard state.tokens >= 1 else {
                state.counts.limited += 1
                let wait = (1 - state.tokens) / rate
                var r = SandboxResponse.error(429, code: "rate_limited", message: "Too many requests")
                r.headers.append(("Retry-After", String(Int(wait.rounded(.up)))))
                r.headers += headers(rate: rate, remaining: 0, reset: wait)
                return (r, [])
            }
            state.tokens -= 1
            state.counts.quotaUsed += 1
            let reset = state.tokens >= 1 ? 0 : (1 - state.tokens) / rate
            return (nil, headers(rate: rate, remaining: Int(state.tokens), reset: reset))
        }
    }

    private func headers(rate: Double, remaining: Int, reset: Double) -> [(String, String)] {
        guard configuration.rateLimitHeaders else { return [] }
        return [
            ("X-RateLimit-Limit", String(format: "%g", rate)), ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset", String(format: "%.3f", reset)),
        ]
    }

    /// The answer's latency for request `number`, in seconds.
    func latency(for number: Int) -> Double {
        let range = configuration.latency
        guard range.upperBound > range.lowerBound else { return range.lowerBound }
        let fraction = Double(random.hash(0x1A7E, number) % 1_000_001) / 1_000_000
        return range.lowerBound + (range.upperBound - range.lowerBound) * fraction
    }

    /// Every host seen, by origin.
    var counts: [String: HostPacingCounts] { hosts.withLock { $0.mapValues(\.counts) } }

    /// Seconds until Monday 00:00 UTC, when a weekly quota starts again.
    static func secondsToWeekEnd(_ date: Date) -> Int {
        let week = 7 * 86_400
        // 1970-01-01 was a Thursday: Monday 00:00 is 4 days after a multiple of a week.
        let sinceMonday = (Int(date.timeIntervalSince1970) - 4 * 86_400) % week
        return week - (sinceMonday + week) % week
    }
}

extension SandboxAPI {
    /// `GET /_sandbox/pacing`: `{"<origin>": {"requests": n, "limited": n, "quota_used": n}, …}`.
    func pacingReport() -> SandboxResponse {
        var w = JSONWriter()
        w.beginObject()
        for (host, c) in pacingCounts.sorted(by: { $0.key < $1.key }) {
            w.key(host); w.beginObject()
            w.field("requests", c.requests); w.field("limited", c.limited); w.field("quota_used", c.quotaUsed)
            w.endObject()
        }
        w.endObject()
        return .json(w)
    }
}

extension PacingConfiguration {
    /// Reads a latency: `0.05` (seconds), `200ms`, `80-300ms`, `0.1-0.3s`; nil when unreadable.
    public static func latencyRange(_ text: String) -> ClosedRange<Double>? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var unit = 1.0
        if body.hasSuffix("ms") {
            unit = 0.001; body = body.dropLast(2)
        } else if body.hasSuffix("s") {
            body = body.dropLast()
        }
        let bounds = body.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
        guard (1...2).contains(bounds.count), let low = bounds[0], let high = bounds[bounds.count - 1],
            low >= 0, high >= low
        else { return nil }
        return low * unit...high * unit
    }
}
