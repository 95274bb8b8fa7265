/// Row counts a correct load of the sandbox produces, derived from the generator itself, so
/// tests and benchmarks compare against the data rather than against literals.
extension SandboxDataset {
    public func expectedCounts(
        forecastIds: [String] = SandboxEnvironment.forecastIds,
        ingestIds: [String] = SandboxEnvironment.ingestIds,
        quarters: Int = 5
    ) -> [String: Int] {
        var c: [String: Int] = [:]
        c["audit_events"] = auditEventCount
        c["audit_events__event_parameters__tags"] = (0..<auditEventCount).reduce(0) { $0 + tagCount(auditEvent: $1) }
        c["export_jobs"] = exportJobCount
        var results = 0, resultTags = 0
        for k in 1...exportJobCount {
            let base = 1_000_000 + k * 1000
            results += exportJobResultCount(job: k)
            resultTags += (base..<(base + exportJobResultCount(job: k))).reduce(0) { $0 + tagCount(auditEvent: $1) }
        }
        c["export_job_results"] = results
        c["export_job_results__event_parameters__tags"] = resultTags
        c["admin_limits"] = 1
        let ingest = ingestIds.compactMap(ingestJobNumber)
        c["ingest_jobs"] = ingest.count
        let ingestErrors = ingest.reduce(0) { $0 + ingestErrorCount($1) }
        if ingestErrors > 0 { c["ingest_jobs__message"] = ingestErrors }  // the validation errors
        c["calls"] = callCount
        c["calls__users"] = (0..<callCount).reduce(0) { $0 + callUserCount($1) }
        let detailed = (0..<callCount).filter { !callDetailsMissing($0) }
        c["call_details"] = detailed.count
        c["call_details__transcript"] = detailed.reduce(0) { $0 + transcriptLength($1) }
        c["users"] = copilotUserCount
        c["topics"] = topicNames.count
        c["v2_topics"] = topicNames.count
        c["scorecards"] = scorecardCount
        c["scorecards__questions_score"] = scorecardCount * 3
        let good = forecastIds.filter { id in Self.forecasts.contains { $0.id == id && !$0.fails } }.count
        c["forecast_entries"] = good * quarters * forecastUserCount * forecastFields.count * timeFramesPerQuarter
        c["forecast_users"] = good * forecastUserCount
        c["forecast_fields"] = good * forecastFields.count
        c["forecast_time_periods"] = good > 0 ? quarters : 0
        c["forecast_time_frames"] = good > 0 ? quarters * timeFramesPerQuarter : 0
        return c
    }
}
