import Foundation

/// The rate-limit headers of one answer, in seconds from now: `X-RateLimit-Limit` /
/// `-Remaining` / `-Reset` (or the unprefixed `RateLimit-*`), the window of the limit when a
/// `RateLimit-Policy` names one (`10;w=1`), and `Retry-After`.
struct RateLimitSignals: Sendable {
    /// Requests the origin admits per `window` (the bucket's size).
    var limit: Double?
    /// Seconds the announced limit is counted over: a policy's `w=`, else one second.
    var window: Double = 1
    var remaining: Int?
    var reset: Double?
    var retryAfter: Double?

    init(_ response: HTTPResponse, date: Date) {
        // Whole names as literals: read on every answer, they are not built for each lookup.
        func header(_ prefixed: String, _ plain: String) -> String? {
            (response.header(prefixed) ?? response.header(plain))?.trimmingSpaces
        }
        limit = header("X-RateLimit-Limit", "RateLimit-Limit")
            .flatMap { Double($0.prefix { $0 != ";" && $0 != "," }) }.flatMap { $0 > 0 ? $0 : nil }
        if let policy = header("X-RateLimit-Policy", "RateLimit-Policy"), let w = Self.policyWindow(policy) {
            window = w
        }
        remaining = header("X-RateLimit-Remaining", "RateLimit-Remaining").flatMap { Int($0) }
        reset = header("X-RateLimit-Reset", "RateLimit-Reset").flatMap { Double($0) }
            .map { value in value > 1_000_000_000 ? value - date.timeIntervalSince1970 : value }  // epoch seconds
            .map { max(0, $0) }
        if let value = response.header("Retry-After")?.trimmingSpaces {
            retryAfter = Double(value) ?? RetryDelays.httpDate(value).map { $0.timeIntervalSince(date) }
            retryAfter = retryAfter.map { max(0, $0) }
        }
    }

    /// Whether the answer says anything of the origin's budget (a bare 429 does not).
    var announcesBudget: Bool { remaining != nil || reset != nil || limit != nil }

    /// `w=` of a policy such as `10;w=1` or `100;w=60;burst=10` (positive seconds), else nil.
    static func policyWindow(_ policy: String) -> Double? {
        for part in policy.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == "w", let value = Double(pair[1]), value > 0 { return value }
        }
        return nil
    }
}
