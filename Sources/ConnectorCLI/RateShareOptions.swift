import ArgumentParser
import ConnectorKit
import Foundation

/// `--rate-share`: the part of each source's declared `rate_limit` and `max_concurrency` this
/// process uses. An API's limits hold for all its clients at once, so `auto` (the default)
/// takes 1/N under `--shard I/N` — N shards together ask no faster than one process — and the
/// whole budget otherwise (docs/scale-out.md, "Limits").
struct RateShareOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Part of each source's declared rate_limit and max_concurrency this run uses: auto (1/N with "
                + "--shard I/N, else all), a fraction (1/8) or a decimal (0.25); 1 uses the whole budget.",
            valueName: "auto|FRACTION"))
    var rateShare = "auto"

    /// The share for a run of `scope`.
    func share(for scope: WorkScope) throws -> RateShare {
        let text = rateShare.trimmingCharacters(in: .whitespaces)
        if text == "auto" { return scope.shard.map { .oneOf($0.count) } ?? .whole }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Double($0) }
        let value: Double? =
            switch parts.count {
            case 1: parts[0]
            case 2: parts[0].flatMap { top in parts[1].flatMap { $0 == 0 ? nil : top / $0 } }
            default: nil
            }
        guard let value, let share = RateShare(fraction: value) else {
            throw ValidationError(
                "--rate-share '\(rateShare)': expected auto, a fraction like 1/4 or a decimal like 0.25, "
                    + "more than 0 and at most 1")
        }
        return share
    }
}

/// The header line that tells what budget of each source this process uses when it is not the
/// whole one (a shard's share), so a user sees what `--rate-share` made of the declared limits.
enum RateBudgetHeader {
    /// Nil for a run of all units with the whole budget (nothing to tell).
    static func line(_ pipelines: [String], project: ProjectSpec, settings: RunSettings, limiters: RequestLimiters)
        -> String?
    {
        let (share, scope) = (settings.share, settings.scope)
        guard share != .whole || scope.shard != nil else { return nil }
        let sources = pipelines.compactMap { project.pipeline(named: $0) }.compactMap {
            project.source(named: $0.source)
        }
        let why = scope.shard.map { ", --shard \($0)" } ?? ""
        var seen: Set<ObjectIdentifier> = []
        let budgets = sources.compactMap { source -> String? in
            guard let limiter = limiters.limiter(for: source), seen.insert(ObjectIdentifier(limiter)).inserted
            else { return nil }
            let rate = limiter.requestsPerSecond.map { "\(Self.number($0)) requests/s" } ?? "rate learned"
            return "\(source.name) \(rate), \(limiter.maxConcurrent) at once"
        }
        let part = share == .whole ? "each declared limit whole" : "\(share) of each declared limit"
        return "rate budget: \(part) (--rate-share \(share)\(why)): " + budgets.joined(separator: "; ")
    }

    /// `2.5`, `10`, `0.333`.
    private static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
