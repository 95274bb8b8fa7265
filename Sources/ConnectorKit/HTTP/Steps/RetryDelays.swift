import Foundation

/// How long to wait before the next attempt: the server's `Retry-After` (seconds or an
/// HTTP-date), else full-jitter exponential backoff; never more than `max_delay`.
struct RetryDelays: Sendable {
    let spec: RetrySpec
    let clock: any RunClock
    let jitter: any JitterSource

    /// Between half and all of `base_delay × 2^(attempt-1)`, capped at `max_delay`.
    func backoff(_ attempt: Int) -> Double {
        let cap = min(spec.maxDelay, spec.baseDelay * pow(2, Double(attempt - 1)))
        let floor = cap / 2
        return floor + max(0, cap - floor) * min(1, max(0, jitter.fraction()))
    }

    /// The server's wait, in seconds, or nil when it gave none (or one that cannot be read).
    func retryAfter(_ response: HTTPResponse) -> Double? {
        guard let value = response.header("Retry-After")?.trimmingSpaces else { return nil }
        let seconds: Double
        if let number = Double(value) {
            seconds = number
        } else if let date = Self.httpDate(value) {
            seconds = date.timeIntervalSince(clock.date)
        } else {
            return nil
        }
        return min(max(0, seconds), spec.maxDelay)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 IMF-fixdate, the form servers must send).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
