/// A resource's data checks: what is gathered while it runs, and their verdict before publish.
extension ResourceRunner {
    /// What the checks watch while the resource runs.
    struct CheckProbes: Sendable {
        let stats: StagedRowStats
        let totals: TotalCapture?
    }

    func checkProbes() -> CheckProbes? {
        guard !resource.checks.isEmpty else { return nil }
        let kinds = Set(resource.checks.map(\.kind))
        let stats = StagedRowStats(
            roots: roots.map(\.name), keyed: kinds.contains(.unique),
            watched: resource.checks.flatMap(\.columns))
        let totals = resource.checks.first { $0.kind == .rowCountMatches }?.totalPath.map(TotalCapture.init)
        return CheckProbes(stats: stats, totals: totals)
    }

    /// This runner with its session telling staged rows to `probes`.
    func checked(by probes: CheckProbes) -> ResourceRunner {
        var runner = self
        runner.session = CheckedSession(base: session, stats: probes.stats)
        return runner
    }

    /// Evaluates the checks into `report`; a failed `fail` check fails the resource, so the
    /// load leaves its tables as they were.
    func applyChecks(_ probes: CheckProbes, to report: inout ResourceReport, sink: ResourceSink) async {
        let rootNames = roots.map(\.name)
        let previous = rootNames.compactMap { previousRows[$0] }
        var inputs = CheckInputs(
            rootRows: rootNames.reduce(0) { $0 + (report.rows[$1] ?? 0) },
            previousRows: previous.isEmpty ? nil : previous.reduce(0, +))
        inputs.duplicateKeys = await probes.stats.duplicateKeys
        inputs.firstDuplicate = await probes.stats.firstDuplicate
        inputs.nulls = await probes.stats.nulls
        inputs.cursors = await sink.cursors
        inputs.apiTotal = probes.totals?.result
        inputs.resumed = resumed != nil
        report.checks = DataChecks.evaluate(resource.checks, inputs)
        let blocking = report.checks.filter(\.blocks)
        guard !blocking.isEmpty else { return }
        report.status = .failed
        report.message = blocking.map { "check \($0.check) failed: \($0.detail)" }.joined(separator: "; ")
    }
}
