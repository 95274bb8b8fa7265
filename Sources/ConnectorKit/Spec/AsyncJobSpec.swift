/// Create a job, poll it until done, download the result.
public struct AsyncJobSpec: Sendable {
    public var jobIdPath: String
    public var maxConcurrent: Int
    public var pollPath: ConfigString
    /// Where the status is in a poll's answer: alternatives tried in order (`[job.status, status]`).
    public var statusPath: [String]
    /// The first wait between polls (`poll.interval`) …
    public var pollInterval: Double
    /// … doubled after each poll up to this (`poll.max_interval`; the interval itself: fixed).
    public var pollMaxInterval: Double
    public var timeout: Double
    public var completed: [String]
    public var failed: [String]
    public var download: Download
    public var cancel: Cancel?
    /// How the API says "too many jobs in flight": wait and create again, a bounded number of times.
    public var busy: Busy?
    /// What a job the API reports as failed does to the resource (`failed_jobs`).
    public var failedJobs: FailedJobs = .fail

    /// A job that ends in a `failed` status delivered nothing. `fail` (the default) fails the
    /// resource and publishes nothing, so exit 0 never hides it; `report` is a declared choice
    /// for APIs where one job may fail on its own (one report of many): the other work items
    /// load, the failed ones are named in the report and asked for again on the next run.
    public enum FailedJobs: String, Sendable, CaseIterable {
        case fail, report
    }

    public enum Download: Sendable {
        case path(ConfigString)
        /// A URL in the status body; fetched without credentials unless on the configured origin.
        case urlPath(String)
    }

    public struct Cancel: Sendable {
        public var method: String
        public var path: ConfigString
        public var json: JSONTemplate?
    }

    /// An answer to the create request that means the API's limit on jobs in flight is reached.
    /// The engine keeps at most `max_concurrent` in flight itself, so when it still comes the
    /// slot is taken by someone else's job — or the answer means an exhausted quota (some APIs
    /// say both in one message): after `retries` waits it stops the resource.
    public struct Busy: Sendable {
        public var statuses: [Int]
        /// Text the body must contain (any body when nil).
        public var bodyContains: String?
        public var retries: Int
        /// The first wait in seconds; each next one doubles, up to 5 minutes.
        public var wait: Double

        public init(statuses: [Int], bodyContains: String?, retries: Int, wait: Double) {
            self.statuses = statuses
            self.bodyContains = bodyContains
            self.retries = retries
            self.wait = wait
        }

        public func matches(status: Int, body: [UInt8]) -> Bool {
            guard statuses.contains(status) else { return false }
            guard let text = bodyContains else { return true }
            return String(decoding: body, as: UTF8.self).localizedCaseInsensitiveContains(text)
        }

        /// Seconds to wait before try number `retry + 1` (0-based).
        public func delay(beforeRetry retry: Int) -> Double { min(300, wait * Double(1 << min(retry, 20))) }
    }
}

extension AsyncJobSpec {
    /// The wait after the `poll`-th status poll (1 for the first): short while a job may be
    /// quick, longer as it runs on, so a long job costs few polls and a short one little wait.
    public func pollWait(afterPoll poll: Int) -> Double {
        min(pollMaxInterval, pollInterval * Double(1 << min(max(0, poll - 1), 30)))
    }

    /// The keys of a resource's `async_job`.
    static let keys = ["job_id_path", "max_concurrent", "poll", "download", "cancel", "busy", "failed_jobs"]
    /// The keys of `async_job.poll`.
    static let pollKeys = ["path", "status_path", "interval", "max_interval", "timeout", "completed", "failed"]

    static func read(_ reader: MappingReader) throws(SpecError) -> AsyncJobSpec {
        var r = reader
        let jobIdPath = try r.requiredString("job_id_path").value
        let maxConcurrent = try r.int("max_concurrent", range: 1...64) ?? 1
        guard var poll = try r.mapping("poll", keys: pollKeys) else {
            throw SpecError("async_job needs 'poll' with 'path' and 'status_path'", at: r.location)
        }
        let pollPath = try poll.requiredString("path")
        guard let statusPath = try poll.pathChoices("status_path") else {
            throw SpecError("'poll' of async_job needs 'status_path'", at: poll.location)
        }
        let interval = try poll.duration("interval") ?? 2
        let maxInterval = try poll.duration("max_interval") ?? interval
        if maxInterval < interval {
            throw SpecError("'max_interval' of poll must be at least its 'interval'", at: poll.location)
        }
        let timeout = try poll.duration("timeout") ?? 600
        let completed = try poll.stringList("completed")?.map(\.value) ?? ["DONE"]
        let failed = try poll.stringList("failed")?.map(\.value) ?? ["FAILED"]
        try poll.finish()
        guard let d = try r.mapping("download", keys: Download.keys) else {
            throw SpecError("async_job needs 'download' with 'path' or 'url_path'", at: r.location)
        }
        let download = try Download.read(d)
        let cancel = try r.mapping("cancel", keys: Cancel.keys).map { c throws(SpecError) in try Cancel.read(c) }
        let busy = try r.mapping("busy", keys: Busy.keys).map { b throws(SpecError) in try Busy.read(b) }
        let failedJobs = try r.choice("failed_jobs", FailedJobs.self) ?? .fail
        try r.finish()
        return AsyncJobSpec(
            jobIdPath: jobIdPath, maxConcurrent: maxConcurrent, pollPath: pollPath, statusPath: statusPath,
            pollInterval: interval, pollMaxInterval: maxInterval, timeout: timeout, completed: completed,
            failed: failed, download: download, cancel: cancel, busy: busy, failedJobs: failedJobs)
    }
}

extension AsyncJobSpec.Download {
    /// The keys of `async_job.download`: one of the two.
    static let keys = ["path", "url_path"]

    static func read(_ reader: MappingReader) throws(SpecError) -> Self {
        var d = reader
        let download: Self
        if let p = try d.string("path") {
            if d.take("url_path") != nil {
                throw SpecError("'download' takes 'path' or 'url_path', not both", at: d.keyLocation("url_path"))
            }
            download = .path(p)
        } else if let u = try d.string("url_path") {
            download = .urlPath(u.value)
        } else {
            throw SpecError(
                "'download' needs 'path' (a template like export/jobs/{job_id}/results) or 'url_path' "
                    + "(where the status body holds a URL)", at: d.location)
        }
        try d.finish()
        return download
    }
}

extension AsyncJobSpec.Cancel {
    /// The keys of `async_job.cancel`.
    static let keys = ["method", "path", "json"]

    static func read(_ reader: MappingReader) throws(SpecError) -> Self {
        var c = reader
        let interpolator = c.interpolator
        let cancel = Self(
            method: try c.choice("method", EndpointSpec.Method.self)?.rawValue ?? "PATCH",
            path: try c.requiredString("path"),
            json: try c.take("json").map { n throws(SpecError) in
                try JSONTemplate.read(n, interpolator: interpolator)
            })
        try c.finish()
        return cancel
    }
}

extension AsyncJobSpec.Busy {
    /// The keys of `async_job.busy`, like `{status: 400, body_contains: "concurrent limit", retries: 5, wait: 10s}`.
    static let keys = ["status", "body_contains", "retries", "wait"]

    static func read(_ reader: MappingReader) throws(SpecError) -> Self {
        var b = reader
        guard let list = try b.stringList("status"), !list.isEmpty else {
            throw SpecError(
                "'busy' needs 'status': the HTTP status(es) of the answer that means too many jobs are in flight",
                at: b.location)
        }
        let busy = Self(
            statuses: try EndpointSpec.errorStatuses(list, what: "'status' in 'busy'"),
            bodyContains: try b.string("body_contains")?.value,
            retries: try b.int("retries", range: 0...20) ?? 5, wait: try b.duration("wait") ?? 10)
        try b.finish()
        return busy
    }
}
