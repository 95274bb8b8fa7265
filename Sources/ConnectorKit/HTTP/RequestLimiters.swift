/// Limiters shared by every source that talks to the same origin, so that pipelines run side
/// by side stay within the API's limits together: the strictest rate and concurrency
/// declared for an origin apply to all its sources, times this process's `share` of them.
public final class RequestLimiters: Sendable {
    private let limiters: [String: RequestLimiter]

    public init(project: ProjectSpec, share: RateShare = .whole) {
        var settings: [String: (rate: Double?, concurrency: Int)] = [:]
        for source in project.sources {
            guard let origin = URLText.origin(source.client.baseURL.value) else { continue }
            let rate = source.client.requestsPerSecond.flatMap { $0 > 0 ? $0 : nil }
            if let existing = settings[origin] {
                let strictest: Double? = [existing.rate, rate].compactMap { $0 }.min()
                settings[origin] = (strictest, min(existing.concurrency, source.client.maxConcurrency))
            } else {
                settings[origin] = (rate, source.client.maxConcurrency)
            }
        }
        limiters = settings.mapValues {
            RequestLimiter(
                requestsPerSecond: share.requestsPerSecond($0.rate), maxConcurrent: share.concurrency($0.concurrency))
        }
    }

    /// The shared limiter for a source's origin, if the project declared one.
    public func limiter(for source: SourceSpec) -> RequestLimiter? {
        URLText.origin(source.client.baseURL.value).flatMap { limiters[$0] }
    }
}
