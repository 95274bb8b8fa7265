import CivilTime
/// Export jobs, admin limits and ingest jobs of the core API.
extension SandboxDataset {
    static let jobEpochMillis = (Timestamps.days(fromCivil: 2025, 6, 1) * 86_400) * 1000

    func writeSeededExportJob(_ k: Int, to w: inout JSONWriter) {
        let start = Self.jobEpochMillis + k * 3_600_000
        writeJob(
            id: seededJobId(k), module: "AUDIT", title: "Audit export \(k)", status: "DONE",
            startMillis: start, endMillis: start + 90_000, user: "usr-\(random.int(30, k, below: 20) + 1)",
            downloads: random.int(31, k, below: 5), downloadUrl: nil, to: &w)
    }

    func seededJobId(_ k: Int) -> String { "job-" + String(k).leftPadded(6) }

    func seededJobNumber(_ id: String) -> Int? {
        guard id.hasPrefix("job-"), let k = Int(id.dropFirst(4)), k >= 1, k <= exportJobCount else { return nil }
        return k
    }

    func writeJob(
        id: String, module: String, title: String, status: String, startMillis: Int, endMillis: Int?,
        user: String, downloads: Int, downloadUrl: String?, to w: inout JSONWriter
    ) {
        w.beginObject()
        w.field("jobId", id); w.field("userId", user); w.field("orgId", "org-1")
        w.field("title", title); w.field("module", module)
        w.field("startTime", startMillis)
        w.key("endTime"); if let endMillis { w.int(endMillis) } else { w.null() }
        w.field("expiredTime", startMillis + 7 * 86_400_000)
        w.field("version", 1); w.field("fileName", "\(id).json"); w.field("fileType", "JSON")
        w.field("status", status); w.field("viewed", downloads > 0)
        w.field("cellsTruncated", false); w.field("rowsTruncated", false)
        w.field("downloads", downloads); w.field("currency", "USD")
        if let downloadUrl { w.field("downloadUrl", downloadUrl) }
        w.endObject()
    }

    /// Results of a seeded (audit) export job: audit-shaped items from their own index range.
    func writeAuditResults(job k: Int, to w: inout JSONWriter) {
        let base = 1_000_000 + k * 1000
        let range = base..<(base + exportJobResultCount(job: k))
        w.beginObject()
        w.key("items"); w.beginArray()
        for i in range { writeAuditEvent(i, to: &w) }
        w.endArray()
        w.key("actors"); w.beginArray()
        for a in actorIds(ofAuditEvents: range) { writeActor(a, to: &w) }
        w.endArray()
        w.endObject()
    }

    func writeLimits(concurrentLimit: Int, inFlight: [String], monthlyQuota: Int, used: Int, to w: inout JSONWriter) {
        w.beginObject(); w.key("jobs"); w.beginObject()
        w.field("concurrentLimit", concurrentLimit)
        w.field("availableConcurrentLimit", max(0, concurrentLimit - inFlight.count))
        w.field("monthlyQuota", monthlyQuota)
        w.field("availableMonthlyQuota", max(0, monthlyQuota - used))
        w.key("runningJobIds"); w.beginArray(); for id in inFlight { w.string(id) }; w.endArray()
        w.key("submittedJobIds"); w.beginArray(); w.endArray()
        w.endObject(); w.endObject()
    }
}
