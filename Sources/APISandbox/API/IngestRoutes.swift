/// `GET /v2/ingest/job/{jobId}` as documented: every state of a known job is an answer with
/// its own status (200, 202, 400, 500), an unknown id is 404, `ingest-throttled` is 429, and
/// wrong keys are 401 — each error in the endpoint's own `{"error": "…"}` shape.
extension SandboxAPI {
    func ingestJob(_ id: String, headers: [String: String]) -> SandboxResponse {
        let keys = configuration.credentials
        guard headers["apikey"] == keys.apiKey, headers["partnerkey"] == keys.partnerKey else {
            return Self.ingestError(401, "Invalid authentication credentials")
        }
        if id == SandboxDataset.throttledIngestId {
            var r = Self.ingestError(429, "API rate limit exceeded")
            r.headers.append(("Retry-After", "0"))
            return r
        }
        let data = dataset
        guard let n = data.ingestJobNumber(id) else {
            return Self.ingestError(404, "Bulk ingestion job not found. Please provide correct jobId.")
        }
        var w = JSONWriter(); data.writeIngestJob(n, id: id, to: &w)
        return .json(w, status: data.ingestState(n).httpStatus)
    }

    static func ingestError(_ status: Int, _ message: String) -> SandboxResponse {
        var w = JSONWriter(); w.beginObject(); w.field("error", message); w.endObject()
        return .json(w, status: status)
    }
}
