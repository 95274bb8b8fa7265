import ArgumentParser
import ConnectorKit
import Foundation
import PostgresDestination

/// `--take-over-after DURATION`: after its own units, a run adopts the lanes (other shards'
/// shares) of its pipelines whose loads died before publishing — no run holds their lock and
/// their lease was last renewed longer ago than DURATION — resuming their staged work from its
/// checkpoints and publishing it (docs/scale-out.md, "Leases").
struct TakeOverOptions: ParsableArguments {
    @Option(
        name: .customLong("take-over-after"),
        help: ArgumentHelp(
            "Afterwards, also finish the loads of other shards of these pipelines that died unpublished and whose "
                + "lease is older than DURATION (30s, 10m, 1h); PostgreSQL only.", valueName: "DURATION"))
    var takeOverAfter: String?

    /// Seconds, or nil when not asked; a clear error for what is not a duration.
    func seconds() throws -> Double? {
        guard let text = takeOverAfter else { return nil }
        guard let seconds = DurationText.seconds(text) else {
            throw ValidationError("--take-over-after '\(text)': expected a duration like 30s, 10m, 1h or 1d")
        }
        return seconds
    }

    /// The PostgreSQL destination of each pipeline, checked before anything runs: leases live in
    /// the database every shard shares. SQLite and files have one writer at a time (a lock
    /// file), so there is nothing to take over: the next run resumes the killed one's load.
    func targets(_ pipelines: [String], destinations: ProjectDestinations, override: String?) throws
        -> [(pipeline: String, destination: PostgresDestination)]
    {
        guard try seconds() != nil else { return [] }
        return try pipelines.map { name in
            guard let postgres = try destinations.forPipeline(name, override: override) as? PostgresDestination else {
                throw ValidationError(
                    "--take-over-after needs a PostgreSQL destination (pipeline '\(name)' loads elsewhere): SQLite and "
                        + "files take one writer at a time, and the next run resumes a killed run's load")
            }
            return (name, postgres)
        }
    }

    /// Takes over every expired lane of `targets` it can claim; true when each load it ran succeeded.
    func adopt(
        _ targets: [(pipeline: String, destination: PostgresDestination)], project: ProjectSpec, share: RateShare,
        json: Bool, output: OutputOptions
    ) async throws -> Bool {
        guard let seconds = try seconds() else { return true }
        var succeeded = true
        for (pipeline, postgres) in targets {
            for lease in try await postgres.expiredLeases(pipeline: pipeline, olderThan: seconds) {
                guard let claimed = try await postgres.claim(lease, pipeline: pipeline, olderThan: seconds) else {
                    continue  // alive after all, or another run claimed it first
                }
                FileHandle.standardError.write(
                    Data(
                        ("\(pipeline): taking over \(lease.scope) (lane '\(lease.lane)'), whose lease \(lease.holder) "
                            + "last renewed \(StatusText.duration(lease.age)) ago\n").utf8))
                let report = try await run(
                    pipeline, lease.scope, into: claimed, project: project, share: share, json: json, output)
                succeeded = succeeded && report.succeeded
            }
        }
        return succeeded
    }

    private func run(
        _ pipeline: String, _ scope: WorkScope, into destination: PostgresDestination, project: ProjectSpec,
        share: RateShare, json: Bool, _ output: OutputOptions
    ) async throws -> RunReport {
        let printer = ProgressPrinter(quiet: json, interval: output.progressInterval)
        defer { printer.stop() }
        let tracker = RunTracker()
        tracker.register(pipeline, resumable: true)
        let progress = tracker.reporter(for: pipeline, printing: printer, log: nil)
        let runner = PipelineRunner(
            project: project, destination: destination, progress: progress,
            limiters: RequestLimiters(project: project, share: share))
        let report = try await runner.run(pipeline, scope: scope)
        printer.above {
            print(json ? report.json() : report.rendered() + "\n")
            StandardOutput.flush()
        }
        return report
    }
}
