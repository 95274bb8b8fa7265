import CivilTime
/// `/v4` (and `/v2`) core routes: audit events, export jobs, limits, ingest job status.
extension SandboxAPI {
    func core(_ request: SandboxRequest, path: String, version: String) -> SandboxResponse {
        let keys = configuration.credentials
        let parts = path.split(separator: "/").map(String.init)
        if request.method == "GET", parts.count == 3, parts[0] == "ingest", parts[1] == "job", version == "/v2/" {
            return ingestJob(parts[2], headers: request.headers)
        }
        guard request.headers["apikey"] == keys.apiKey else {
            return .error(401, code: "unauthorized", message: "Missing or invalid apikey header")
        }
        switch (request.method, parts.count, parts.first) {
        case ("GET", 2, "audit") where parts[1] == "events":
            return auditEvents(request, version: version)
        case ("POST", 3, "export") where parts[1] == "audit" && parts[2] == "events":
            return createJob(module: "AUDIT", forecastId: nil, timePeriod: nil)
        case ("GET", 2, "export") where parts[1] == "jobs":
            return exportJobs()
        case (_, 3, "export") where parts[1] == "jobs":
            return request.method == "PATCH" ? cancelJob(parts[2]) : jobStatus(parts[2], version: version)
        case ("GET", 4, "export") where parts[1] == "jobs" && parts[3] == "results":
            return jobResults(parts[2])
        case ("GET", 3, "export") where parts[1] == "forecast" && parts[2] == "list":
            var w = JSONWriter(); w.beginObject(); w.key("forecasts"); w.beginArray()
            for f in SandboxDataset.forecasts {
                w.beginObject(); w.field("forecastId", f.id); w.field("forecastName", f.name); w.endObject()
            }
            w.endArray(); w.endObject()
            return .json(w)
        case ("POST", 3, "export") where parts[1] == "forecast":
            return createForecastExport(parts[2], body: request.body)
        case ("GET", 2, "admin") where parts[1] == "limits":
            return limits()
        default:
            return .error(
                404, code: "not_found", message: "Unknown route \(request.method) \(version)\(path.dropFirst())")
        }
    }

    private func exportJobs() -> SandboxResponse {
        let data = dataset
        let object = configuration.jobListShape == .object
        var w = JSONWriter()
        if object { w.beginObject(); w.key("jobs") }
        w.beginArray()
        for k in 1...data.exportJobCount { data.writeSeededExportJob(k, to: &w) }
        w.endArray()
        if object { w.endObject() }
        return .json(w)
    }

    private func limits() -> SandboxResponse {
        let (inFlight, used) = state.withLock { s in
            (s.jobOrder.filter { s.jobs[$0].map(isInFlight) ?? false }, s.quotaUsed)
        }
        var w = JSONWriter()
        dataset.writeLimits(
            concurrentLimit: configuration.concurrentLimit, inFlight: inFlight,
            monthlyQuota: configuration.monthlyQuota, used: used, to: &w)
        return .json(w)
    }

    private func auditEvents(_ request: SandboxRequest, version: String) -> SandboxResponse {
        let limit = request.query["limit"].flatMap(Int.init) ?? 100
        guard (1...1000).contains(limit) else {
            return .error(400, code: "invalid_limit", message: "limit must be between 1 and 1000")
        }
        var from: Int?, to: Int?
        if let text = request.query["dateFrom"] {
            guard let v = Timestamps.parse(text) else {
                return .error(400, code: "invalid_dateFrom", message: "dateFrom is not ISO 8601")
            }
            from = v
        }
        if let text = request.query["dateTo"] {
            guard let v = Timestamps.parse(text) else {
                return .error(400, code: "invalid_dateTo", message: "dateTo is not ISO 8601")
            }
            to = v
        }
        let data = dataset
        let range = data.auditRange(from: from, to: to)
        let start = max(range.lowerBound, request.query["pageToken"].flatMap(Int.init) ?? range.lowerBound)
        let page = start..<min(range.upperBound, start + limit)
        var w = JSONWriter(capacity: page.count * 600)
        w.beginObject()
        w.key("items"); w.beginArray()
        for i in page { data.writeAuditEvent(i, to: &w) }
        w.endArray()
        w.key("actors"); w.beginArray()
        for a in data.actorIds(ofAuditEvents: page) { data.writeActor(a, to: &w) }
        w.endArray()
        if page.upperBound < range.upperBound {
            var link = "\(request.origin)\(version)audit/events?limit=\(limit)&pageToken=\(page.upperBound)"
            for name in ["dateFrom", "dateTo"] {
                if let v = request.query[name] { link += "&\(name)=\(v.percentEncodedForQuery())" }
            }
            w.field("nextLink", link)
        }
        w.endObject()
        return .json(w)
    }
}
