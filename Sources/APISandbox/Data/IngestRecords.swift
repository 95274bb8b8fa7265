/// Ingest jobs as Clari's API reference documents them: the job under `message`, and an HTTP
/// status that mirrors the job's state (see docs/clari-api.md, "GET /ingest/job/{jobId}").
public enum IngestState: String, Sendable, CaseIterable {
    case success = "SUCCESS"
    case inProgress = "IN_PROGRESS"
    case validationError = "VALIDATION_ERROR"
    case failed = "FAILED"
    case queued = "QUEUED"

    /// The HTTP status the API answers a job in this state with.
    public var httpStatus: Int {
        switch self {
        case .success: return 200
        case .inProgress, .queued: return 202
        case .validationError: return 400
        case .failed: return 500
        }
    }

    var text: String {
        switch self {
        case .success: return "Ingestion successfully completed."
        case .inProgress: return "Bulk ingestion job is in progress"
        case .validationError: return ""
        case .failed: return "Bulk ingestion job failed. Please retry ingestion."
        case .queued: return "Bulk ingestion job is in queue"
        }
    }

    var finished: Bool { self != .inProgress && self != .queued }
}

extension SandboxDataset {
    /// The job id the sandbox answers with 429 (`API rate limit exceeded`), every time.
    public static let throttledIngestId = "ingest-throttled"

    /// Job `ingest-<n>`'s state: the five states in turn, so ids 1–5 show every answer.
    public func ingestState(_ n: Int) -> IngestState { IngestState.allCases[(n - 1) % IngestState.allCases.count] }

    /// Validation errors of job `n` (the inner `message` array of a 400 answer).
    public func ingestErrorCount(_ n: Int) -> Int { ingestState(n) == .validationError ? 1 + n % 3 : 0 }

    static let ingestSummaries = [
        "Failed validation for data at path: /email 12345 is not of type 'string'",
        "Primary key field accountId is missing",
        "Field closeDate value 2025-13-01 is not a valid date",
    ]

    /// `{"message": {jobId, orgId, userId, module, submittedTime, startTime, endTime, title,
    /// fileName, status, message}}`, the inner `message` text or, for a validation error, the
    /// list of `{errorCode, errorSummary}`.
    func writeIngestJob(_ n: Int, id: String, to w: inout JSONWriter) {
        let state = ingestState(n)
        let submitted = Self.jobEpochMillis + n * 7_200_000
        w.beginObject(); w.key("message"); w.beginObject()
        w.field("jobId", id); w.field("orgId", 1234); w.field("userId", 12_345 + n % 7)
        w.field("module", "DATA_INGESTION"); w.field("submittedTime", submitted)
        w.key("startTime"); if state == .queued { w.null() } else { w.int(submitted + 12) }
        w.key("endTime");
        if state.finished { w.int(submitted + 30_000 + random.int(42, n, below: 9000)) } else { w.null() }
        w.field("title", "Data Ingestion"); w.field("fileName", "ingest-\(n).json")
        w.field("status", state.rawValue)
        w.key("message")
        if state == .validationError {
            w.beginArray()
            for e in 0..<ingestErrorCount(n) {
                w.beginObject(); w.field("errorCode", "INVALID_INPUT_FORMAT")
                w.field("errorSummary", Self.ingestSummaries[(n + e) % Self.ingestSummaries.count]); w.endObject()
            }
            w.endArray()
        } else {
            w.string(state.text)
        }
        w.endObject(); w.endObject()
    }
}
