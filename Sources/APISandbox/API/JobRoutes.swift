import CivilTime
import Foundation

/// Async export jobs: creation under quota and concurrency limits, a lifecycle that takes a
/// few polls, cancellation and results.
extension SandboxAPI {
    func isInFlight(_ job: CreatedJob) -> Bool {
        !job.cancelled && job.polls < job.pollsNeeded
    }

    func status(of job: CreatedJob) -> String {
        if job.cancelled { return "CANCELLED" }
        if job.polls >= job.pollsNeeded { return job.fails ? "FAILED" : "DONE" }
        return job.polls <= 1 ? "SCHEDULED" : "STARTED"
    }

    func createForecastExport(_ forecastId: String, body: [UInt8]) -> SandboxResponse {
        guard let forecast = SandboxDataset.forecasts.first(where: { $0.id == forecastId }) else {
            return .error(400, code: "no_such_forecast_config", message: "No forecast with id \(forecastId)")
        }
        let text = String(decoding: body, as: UTF8.self)
        let period =
            Self.jsonStringField("timePeriod", in: text).flatMap { SandboxDataset.quarter($0) != nil ? $0 : nil }
            ?? Self.currentQuarter()
        return createJob(module: "FORECAST", forecastId: forecast.id, timePeriod: period, fails: forecast.fails)
    }

    func createJob(module: String, forecastId: String?, timePeriod: String?, fails: Bool = false) -> SandboxResponse {
        let limit = configuration.concurrentLimit, quota = configuration.monthlyQuota
        let created: String? = state.withLock { s in
            let inFlight = s.jobs.values.filter { isInFlight($0) }.count
            guard inFlight < limit, s.quotaUsed < quota else {
                s.jobCounts.refused += 1
                return nil
            }
            s.quotaUsed += 1
            s.jobCounts.peakInFlight = max(s.jobCounts.peakInFlight, inFlight + 1)
            let n = s.jobOrder.count
            let extra =
                configuration.extraPolls.isEmpty ? 0 : configuration.extraPolls[n % configuration.extraPolls.count]
            let id = "fjob-\(n + 1)"
            s.jobs[id] = CreatedJob(
                id: id, module: module, forecastId: forecastId, timePeriod: timePeriod,
                pollsNeeded: configuration.pollsUntilDone + extra, fails: fails,
                createdMillis: SandboxDataset.jobEpochMillis + n * 1000)
            s.jobOrder.append(id)
            return id
        }
        guard let id = created else {
            return .error(
                400, code: "export_monthly_quota_reached",
                message: "The monthly quota limit of \(quota) or concurrent limit of \(limit) has been reached")
        }
        var w = JSONWriter(); w.beginObject(); w.field("jobId", id); w.endObject()
        return .json(w, status: module == "AUDIT" ? 202 : 200)
    }

    func jobStatus(_ id: String, version: String) -> SandboxResponse {
        let data = dataset
        var w = JSONWriter()
        let wrapped = configuration.jobStatusShape == .wrapped
        if wrapped { w.beginObject(); w.key("job") }
        if let k = data.seededJobNumber(id) {
            data.writeSeededExportJob(k, to: &w)
        } else {
            let job: CreatedJob? = state.withLock { s in
                guard var job = s.jobs[id] else { return nil }
                if !job.cancelled { job.polls += 1 }
                s.jobs[id] = job
                return job
            }
            guard let job else { return .error(404, code: "not_found", message: "No export job \(id)") }
            let status = status(of: job)
            let url =
                status == "DONE" ? configuration.downloadOrigin.map { "\($0)\(version)export/jobs/\(id)/results" } : nil
            data.writeJob(
                id: id, module: job.module, title: "\(job.module.capitalized) export \(job.forecastId ?? "")",
                status: status, startMillis: job.createdMillis,
                endMillis: status == "DONE" || status == "FAILED" ? job.createdMillis + 60_000 : nil,
                user: "usr-1", downloads: 0, downloadUrl: url, to: &w)
        }
        if wrapped { w.endObject() }
        return .json(w)
    }

    func cancelJob(_ id: String) -> SandboxResponse {
        let found: Bool = state.withLock { s in
            guard var job = s.jobs[id] else { return false }
            job.cancelled = true
            s.jobs[id] = job
            return true
        }
        guard found else { return .error(404, code: "not_found", message: "No export job \(id)") }
        var w = JSONWriter(); w.beginObject(); w.field("status", "CANCELLED"); w.field("successful", true);
        w.endObject()
        return .json(w)
    }

    func jobResults(_ id: String) -> SandboxResponse {
        let data = dataset
        if let k = data.seededJobNumber(id) {
            var w = JSONWriter(capacity: 64 * 1024); data.writeAuditResults(job: k, to: &w)
            return .json(w)
        }
        guard let job = state.withLock({ $0.jobs[id] }) else {
            return .error(404, code: "not_found", message: "No export job \(id)")
        }
        guard status(of: job) == "DONE" else {
            return .error(400, code: "invalid_jobId", message: "Job \(id) is not DONE")
        }
        var w = JSONWriter(capacity: 256 * 1024)
        if let forecastId = job.forecastId, let period = job.timePeriod {
            data.writeForecastResults(forecastId: forecastId, timePeriod: period, to: &w)
        } else {
            data.writeAuditResults(job: 1, to: &w)
        }
        return .json(w)
    }

    /// The current calendar quarter as `YYYY_QN` (the sandbox's fiscal year is the calendar year).
    static func currentQuarter() -> String {
        let now = Int(Double(clock_seconds()))
        let (y, m, _) = Timestamps.civil(fromDays: now / 86_400)
        return "\(y)_Q\((m - 1) / 3 + 1)"
    }

    /// The string value of `"name": "…"` in a small JSON body; enough for request bodies.
    static func jsonStringField(_ name: String, in text: String) -> String? {
        guard let keyRange = text.range(of: "\"\(name)\"") else { return nil }
        let rest = text[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
        guard rest.first == "\"" else { return nil }
        return String(rest.dropFirst().prefix { $0 != "\"" })
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
func clock_seconds() -> Int { Int(time(nil)) }
