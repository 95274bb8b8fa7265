/// Create a job → poll its status → download its result, for APIs that export asynchronously.
/// The id of a job in flight is checkpointed, so a rerun after a failure polls the same job
/// instead of spending export quota on a new one (see `JobAdoption`); the id is forgotten once
/// the result is staged, or when the job failed.
struct AsyncJobRunner {
    let spec: AsyncJobSpec
    let resource: ResourceSpec
    let client: SourceClient
    let auth: any Authenticator
    let session: any JobStateStore
    let storedState: ResourceState
    /// Shared by the resource's jobs: at most `max_concurrent` in flight (created or adopted,
    /// not yet finished). A finished job gives its slot back before its result is downloaded
    /// and loaded, so the next job is already running meanwhile.
    let slots: JobSlots

    /// A job the API says is done: what downloading its result needs.
    struct FinishedJob {
        let placeholders: [String: String]
        let statusBody: [UInt8]
        let jobId: String
    }

    /// The finished job's result. Call `forget(_:)` once it is staged.
    func run(_ item: WorkItem, createRequest: HTTPRequest) async throws -> HTTPResponse {
        try await download(try await finish(item, createRequest: createRequest), item: item)
    }

    /// Creates (or adopts) the item's job and polls it until it is done, in one of the job slots.
    func finish(_ item: WorkItem, createRequest: HTTPRequest) async throws -> FinishedJob {
        try await slots.acquire(WorkItemKey(item.key))
        let finished: FinishedJob
        do {
            finished = try await untilFinished(item, createRequest: createRequest)
        } catch {
            await slots.release()
            throw error
        }
        await slots.release()
        return finished
    }

    /// Forgets the item's job: its result is staged (or the job is over without one).
    func forget(_ item: WorkItem) async throws {
        try await session.saveState(.forgettingJob(of: WorkItemKey(item.key)), resource: resource.name)
    }

    /// Waits for a job an earlier run left for a work item this run does not have (it holds a
    /// slot at the API meanwhile), then forgets it; its result is not loaded. Returns a note.
    func settle(orphan key: WorkItemKey, jobId id: JobId) async throws -> String {
        let (itemKey, jobId) = (key.rawValue, id.rawValue)
        var placeholders = ["job_id": jobId]
        for pair in itemKey.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { placeholders[String(parts[0])] = String(parts[1]) }
        }
        let item = WorkItem(placeholders: placeholders, key: itemKey)
        try await slots.acquire(key)
        let outcome: String
        do {
            let status = try await poll(placeholders, item: item, jobId: jobId)
            outcome = status == nil ? "unknown to the API" : "waited for it to end"
        } catch let error as ExtractError where error.kind == .job || error.kind == .configuration {
            outcome =
                error.kind == .job ? "it ended without a result" : "it cannot be polled without this run's placeholders"
        } catch {
            await slots.release()
            throw error
        }
        await slots.release()
        try await session.saveState(.forgettingJob(of: key), resource: resource.name)
        return
            "\(item.label)export job \(jobId), left in flight by an earlier run for a work item this run does not have: "
            + "\(outcome); forgotten"
    }

    /// Creates (or adopts the stored) job and polls it until it is done.
    private func untilFinished(_ item: WorkItem, createRequest: HTTPRequest) async throws -> FinishedJob {
        let key = WorkItemKey(item.key)
        var placeholders = item.placeholders
        var jobId = storedState.jobs[key]?.rawValue
        var reused = jobId != nil
        while true {
            if jobId == nil {
                let id = try await create(createRequest, item: item)
                try await session.saveState(.job(JobId(id), for: key), resource: resource.name)
                jobId = id
                reused = false
            }
            guard let id = jobId else { continue }
            placeholders["job_id"] = id
            let status: [UInt8]?
            do {
                status = try await poll(placeholders, item: item, jobId: id)
            } catch let error as ExtractError where error.kind == .job {
                // Failed or timed out: the next run creates a new job instead of adopting this one.
                try await forget(item)
                throw error
            }
            if status == nil && reused {
                // The stored job is gone (expired or unknown): forget it and start a new one.
                try await forget(item)
                jobId = nil
                continue
            }
            guard let body = status else {
                throw ExtractError(
                    .job, resource: resource.name, message: "\(item.label)job \(id) is unknown to the server")
            }
            return FinishedJob(placeholders: placeholders, statusBody: body, jobId: id)
        }
    }

    /// Creates a job. An answer declared `busy` is waited out `retries` times; then, since this
    /// run keeps fewer jobs in flight than `max_concurrent` by itself, it means an exhausted
    /// quota (or other clients' jobs), and the resource stops.
    private func create(_ request: HTTPRequest, item: WorkItem) async throws -> String {
        var waited = 0.0
        var refusals = 0
        while true {
            let (response, attempts) = try await client.send(request, auth: auth, resource: resource.name)
            if let busy = spec.busy, busy.matches(status: response.status, body: response.body) {
                if refusals < busy.retries {
                    let delay = busy.delay(beforeRetry: refusals)
                    refusals += 1
                    waited += delay
                    try await client.clock.sleep(seconds: delay)
                    continue
                }
                throw ExtractError(
                    .status(response.status), resource: resource.name, method: request.method,
                    url: client.redactor.redactURL(request.url), attempts: attempts,
                    message: "\(item.label)the API refused the export as busy \(refusals + 1) times in "
                        + "\(Self.seconds(waited)) although this run had fewer than max_concurrent "
                        + "(\(spec.maxConcurrent)) jobs in flight: "
                        + "the export quota is likely used up (or other clients' jobs fill the limit); stopping: "
                        + client.redactor.redact(SourceClient.snippet(response.body)))
            }
            if response.status == 400 || response.status == 403 {
                let body = SourceClient.snippet(response.body)
                let quota = body.lowercased().contains("quota") || body.lowercased().contains("limit")
                throw ExtractError(
                    .status(response.status), resource: resource.name, method: request.method,
                    url: client.redactor.redactURL(request.url), attempts: attempts,
                    message: "\(item.label)" + (quota ? "export quota or concurrency limit reached, not retried: " : "")
                        + client.redactor.redact(body))
            }
            try client.require(response, attempts: attempts, request: request, resource: resource.name)
            let parser = JSONParser()
            guard let doc = try? parser.parse(response.body),
                let id = JSONPath(spec.jobIdPath).evaluate(doc)?.scalarText
            else {
                throw ExtractError(
                    .invalidResponse, resource: resource.name, method: request.method,
                    url: client.redactor.redactURL(request.url),
                    message:
                        "\(item.label)no job id at '\(spec.jobIdPath)' in: \(client.redactor.redact(SourceClient.snippet(response.body)))"
                )
            }
            return id
        }
    }

    /// `12 s`, `250 ms`
    private static func seconds(_ s: Double) -> String {
        s >= 1 ? "\(Int(s.rounded())) s" : "\(Int((s * 1000).rounded())) ms"
    }

    /// The final status body, or nil when the server does not know the job (404).
    private func poll(_ placeholders: [String: String], item: WorkItem, jobId: String) async throws -> [UInt8]? {
        let path = try render(spec.pollPath, placeholders)
        let request = HTTPRequest(method: "GET", url: URLText.join(client.baseURL, path))
        let started = client.clock.now
        let parser = JSONParser()
        let statusPath = JSONPathChoice(spec.statusPath)
        var polls = 0
        while true {
            polls += 1
            let (response, attempts) = try await client.send(request, auth: auth, resource: resource.name)
            if response.status == 404 { return nil }
            try client.require(response, attempts: attempts, request: request, resource: resource.name)
            let status = (try? parser.parse(response.body)).flatMap { statusPath.evaluate($0)?.scalarText }
            guard let status else {
                throw ExtractError(
                    .invalidResponse, resource: resource.name, url: client.redactor.redactURL(request.url),
                    message: "\(item.label)no job status at '\(statusPath)'")
            }
            if spec.completed.contains(status) { return response.body }
            if spec.failed.contains(status) {
                throw ExtractError(
                    .job, resource: resource.name, url: client.redactor.redactURL(request.url),
                    message: "\(item.label)job \(jobId) ended with status \(status)")
            }
            if client.clock.now - started > .seconds(spec.timeout) {
                try await cancel(placeholders)
                throw ExtractError(
                    .job, resource: resource.name, url: client.redactor.redactURL(request.url),
                    message: "\(item.label)job \(jobId) still \(status) after \(Int(spec.timeout)) s"
                        + (spec.cancel != nil ? "; cancelled" : ""))
            }
            try await client.clock.sleep(seconds: spec.pollWait(afterPoll: polls))
        }
    }

    /// The finished job's result (the caller holds its place among the results in memory).
    func download(_ job: FinishedJob, item: WorkItem) async throws -> HTTPResponse {
        let url: String
        switch spec.download {
        case .path(let template):
            url = URLText.join(client.baseURL, try render(template, job.placeholders))
        case .urlPath(let path):
            let parser = JSONParser()
            guard let doc = try? parser.parse(job.statusBody), let link = JSONPath(path).evaluate(doc)?.scalarText,
                URLText.isAbsolute(link)
            else {
                throw ExtractError(
                    .invalidResponse, resource: resource.name,
                    message: "\(item.label)job \(job.jobId) is done but has no URL at '\(path)'")
            }
            url = link
        }
        // SourceClient adds credentials only when `url` is on the configured origin.
        let request = HTTPRequest(method: "GET", url: url)
        let (response, attempts) = try await client.send(request, auth: auth, resource: resource.name)
        try client.require(response, attempts: attempts, request: request, resource: resource.name)
        return response
    }

    private func cancel(_ placeholders: [String: String]) async throws {
        guard let cancel = spec.cancel else { return }
        let body = try cancel.json.map { t throws(RequestTemplate.MissingPlaceholder) in
            Array(try RequestTemplate.renderJSON(t, placeholders).utf8)
        }
        let request = HTTPRequest(
            method: cancel.method, url: URLText.join(client.baseURL, try render(cancel.path, placeholders)), body: body)
        _ = try? await client.send(request, auth: auth, resource: resource.name)
    }

    private func render(_ template: ConfigString, _ placeholders: [String: String]) throws -> String {
        do {
            return try RequestTemplate.render(template.value, placeholders, encode: true)
        } catch {
            throw ExtractError(
                .configuration, resource: resource.name,
                message:
                    "\(template.location): unknown placeholder {\(error.name)}; available: \(error.available.joined(separator: ", "))"
            )
        }
    }
}
