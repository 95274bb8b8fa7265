/// `GET /_sandbox/jobs`: the export-job rules this sandbox enforces and what it saw of them. A
/// benchmark reads it to print the job floor: no client, however fast, finishes `created` jobs with
/// at most `concurrent_limit` in flight, each done only at its `polls_until_done`-th status poll,
/// in less than ⌈created ÷ limit⌉ × (polls − 1) poll intervals.
extension SandboxAPI {
    func jobsReport() -> SandboxResponse {
        let counts = jobCounts
        let created = state.withLock { $0.jobOrder.count }
        var w = JSONWriter()
        w.beginObject()
        w.field("concurrent_limit", configuration.concurrentLimit)
        w.field("polls_until_done", configuration.pollsUntilDone)
        w.field("created", created)
        w.field("peak_in_flight", counts.peakInFlight)
        w.field("refused", counts.refused)
        w.endObject()
        return .json(w)
    }
}
