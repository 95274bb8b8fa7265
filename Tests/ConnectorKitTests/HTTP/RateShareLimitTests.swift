import ConnectorKit
import Testing

/// A process's share of each origin's declared limits (`--rate-share`, 1/N under `--shard I/N`).
@Suite("RateShare: a shard's part of the declared rate and concurrency")
struct RateShareLimitTests {
    static let yaml = """
        sources:
          declared: {client: {base_url: "https://a.test", rate_limit: {requests_per_second: 10}, max_concurrency: 4},
                     resources: [x]}
          learned: {client: {base_url: "https://b.test", max_concurrency: 3}, resources: [y]}
        """

    @Test(
        "the declared rate and concurrency are divided; an undeclared rate stays learned; concurrency never below 1",
        arguments: [
            (RateShare.whole, 10.0, 4, 3), (.oneOf(4), 2.5, 1, 1), (.oneOf(2), 5, 2, 1), (.oneOf(8), 1.25, 1, 1),
            (RateShare(fraction: 0.75)!, 7.5, 3, 2),
        ] as [(RateShare, Double, Int, Int)])
    func divides(_ share: RateShare, _ rate: Double, _ concurrency: Int, _ learnedConcurrency: Int) throws {
        let project = try SpecLoader(environment: [:]).parseSources(Self.yaml, file: "s.yaml")
        let limiters = RequestLimiters(project: project, share: share)
        let declared = try #require(limiters.limiter(for: project.sources[0]))
        let learned = try #require(limiters.limiter(for: project.sources[1]))
        #expect(declared.requestsPerSecond == rate)
        #expect(declared.maxConcurrent == concurrency)
        #expect(learned.requestsPerSecond == nil)
        #expect(learned.maxConcurrent == learnedConcurrency)
    }

    @Test(
        "a share is in (0, 1] and reads as a fraction where it is one",
        arguments: [
            (0.25, "1/4"), (1, "1"), (0.3, "0.3"), (1.0 / 3, "1/3"),
        ] as [(Double, String)])
    func describes(_ fraction: Double, _ text: String) {
        #expect(RateShare(fraction: fraction)?.description == text)
    }

    @Test("0, less, more than 1 or not finite: no share", arguments: [0, -0.5, 1.01, Double.infinity, Double.nan])
    func refuses(_ fraction: Double) {
        #expect(RateShare(fraction: fraction) == nil)
    }
}
