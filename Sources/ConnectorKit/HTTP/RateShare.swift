/// The part of each source's declared request budget (`rate_limit`, `max_concurrency`) one
/// process uses. An API's limits hold for all its clients together, so N shards of one
/// pipeline (`--shard I/N`) each take 1/N and together ask no faster than one process would.
public struct RateShare: Sendable, Equatable, CustomStringConvertible {
    /// In (0, 1]; 1 is the whole budget.
    public let fraction: Double

    /// Nil unless 0 < fraction ≤ 1.
    public init?(fraction: Double) {
        guard fraction > 0, fraction <= 1, fraction.isFinite else { return nil }
        self.fraction = fraction
    }

    public static let whole = RateShare(uncheckedFraction: 1)

    /// One of `count` equal shares.
    public static func oneOf(_ count: Int) -> RateShare { RateShare(uncheckedFraction: 1 / Double(max(1, count))) }

    private init(uncheckedFraction: Double) { fraction = uncheckedFraction }

    /// This share of a declared rate (nil, undeclared, stays nil: the pace is learned per process).
    public func requestsPerSecond(_ declared: Double?) -> Double? { declared.map { $0 * fraction } }

    /// This share of a concurrency limit, rounded down so the shares never add up to more, but
    /// at least 1 (past N = the limit, N processes hold more at once than one would).
    public func concurrency(_ declared: Int) -> Int { max(1, Int((Double(declared) * fraction + 1e-9).rounded(.down))) }

    /// `1/4` when the share is one of a whole number of parts, else the decimal (`0.3`).
    public var description: String {
        let parts = (1 / fraction).rounded()
        if abs(parts * fraction - 1) < 1e-9 { return parts == 1 ? "1" : "1/\(Int(parts))" }
        return "\(fraction)"
    }
}
