/// Requests the pages of a resource's work items, a bounded number at a time, and feeds them
/// to the resource's sink.
struct PageFetcher: Sendable {
    let resource: ResourceSpec
    let client: SourceClient
    let auth: any Authenticator
    let sink: ResourceSink
    let session: any LoadSession
    let storedState: [String: String]
    let progress: ProgressReporter
    let started: ContinuousClock.Instant
    /// Export jobs in flight, for resources that create them.
    let jobSlots: JobSlots
    /// Pages of one item requested ahead at most (the source's concurrency limit still holds).
    let lookahead: Int

    /// Runs every item; a failing item cancels the rest unless it is a failed export job.
    func runAll(_ items: [WorkItem], concurrency: Int) async -> [Result<String?, Error>] {
        await withTaskGroup(of: Result<String?, Error>.self) { group in
            var results: [Result<String?, Error>] = []
            var next = 0
            while next < min(concurrency, items.count) {
                let item = items[next]
                group.addTask { await self.capture { try await self.fetch(item) } }
                next += 1
            }
            while let r = await group.next() {
                results.append(r)
                if Self.isHardFailure(r) { group.cancelAll(); break }
                if next < items.count {
                    let item = items[next]
                    group.addTask { await self.capture { try await self.fetch(item) } }
                    next += 1
                }
            }
            for await r in group { results.append(r) }
            return results
        }
    }

    /// A failure that stops the resource: anything but a failed export job.
    static func isHardFailure(_ result: Result<String?, Error>) -> Bool {
        if case .failure(let e) = result, (e as? ExtractError)?.kind != .job { return true }
        return false
    }

    private func capture(_ body: () async throws -> String?) async -> Result<String?, Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// All pages of one item. Returns a note when the item was answered with an ignorable status.
    func fetch(_ item: WorkItem) async throws -> String? {
        let endpoint = resource.endpoint
        let resumed = await sink.resumedProgress(of: item.key)
        if resumed == .done { return nil }
        let start = try endpoint.incremental.flatMap { try incrementalStart($0, item: item) }
        let built = try ItemRequest(resource: resource, item: item, baseURL: client.baseURL, incrementalStart: start)
        var request = built.page
        let headers = built.headers

        if let job = resource.asyncJob {
            let runner = AsyncJobRunner(spec: job, resource: resource, client: client, auth: auth, session: session,
                                        storedState: storedState, slots: jobSlots)
            let create = HTTPRequest(method: request.method, url: request.fullURL, headers: headers, body: request.body)
            var jobItem = item
            jobItem.placeholders = built.placeholders   // job paths read the same placeholders
            let response = try await runner.run(jobItem, createRequest: create)
            _ = try await sink.consume(response, item: item, request: request, paginator: SinglePagePaginator(), url: create.url)
            // The job is forgotten only once its rows are staged: a run killed in between
            // adopts it again instead of spending quota on a new one.
            try await sink.flush()
            try await runner.forget(item)
            await reportProgress()
            return nil
        }

        var paginator = (endpoint.paginator ?? .auto).make()
        if case .next(let saved, let state) = resumed {
            // An interrupted run staged this item's earlier pages: carry on from the next one.
            // The checkpoint dropped the parameters that carry a secret: set them again.
            request = saved.request
            for (name, value) in built.page.params where client.redactor.isSecretParameter(name) {
                if !request.params.contains(where: { $0.0 == name }) { request.params.append((name, value)) }
            }
            paginator.restore(state)
        } else {
            request = paginator.initial(request)
        }
        var seen = Set<String>()
        let (client, auth, name) = (client, auth, resource.name)
        let ahead = PagePrefetcher { try await client.send($0, auth: auth, resource: name) }
        // Requests asked for ahead and not needed end (and are counted) before the item does.
        let walked = await capture {
            while true {
                try Task.checkCancellation()
                let http = HTTPRequest(method: request.method, url: request.fullURL, headers: headers, body: request.body)
                let (response, attempts): (HTTPResponse, Int)
                if let early = ahead.take(http) {
                    (response, attempts) = try await early.value
                } else {
                    (response, attempts) = try await client.send(http, auth: auth, resource: name)
                }
                if endpoint.ignoreStatuses.contains(response.status) {
                    await sink.finish(item.key)
                    return "\(item.label)HTTP \(response.status) ignored as declared"
                }
                try client.require(response, attempts: attempts, request: http, resource: resource.name)
                let (_, advanced, next) = try await sink.consume(response, item: item, request: request,
                                                                 paginator: paginator, url: http.url,
                                                                 lookahead: lookahead) { following in
                    ahead.request(following.map {
                        HTTPRequest(method: $0.method, url: $0.fullURL, headers: headers, body: $0.body)
                    })
                }
                paginator = advanced
                await reportProgress()
                if let reason = paginator.deadEnd {
                    throw ExtractError(.pagination, resource: resource.name, url: client.redactor.redactURL(http.url),
                                       message: reason)
                }
                guard let next else { return nil }
                if let position = paginator.position {
                    guard seen.insert(position).inserted else {
                        throw ExtractError(.pagination, resource: resource.name, url: client.redactor.redactURL(http.url),
                                           message: "the API returned the same next page "
                                               + "(\(client.redactor.redactURL(position))) twice; stopping instead of looping")
                    }
                }
                request = next
            }
        }
        await ahead.finish()
        return try walked.get()
    }

    private func reportProgress() async {
        let (pages, rows) = await sink.progress
        progress.report(.progress(resource: resource.name, pages: pages, rows: rows, elapsed: (ContinuousClock.now - started).seconds))
    }

    private func incrementalStart(_ spec: IncrementalSpec, item: WorkItem) throws -> String? {
        let key = "cursor" + (item.key.isEmpty ? "" : ":" + item.key)
        if let stored = storedState[key] {
            guard spec.lookbackSeconds > 0, let shifted = CursorShift.back(stored, seconds: spec.lookbackSeconds) else { return stored }
            return shifted
        }
        return try spec.initialValue.map { try $0.required("incremental initial_value") }
    }
}

import CivilTime

/// Moves a timestamp cursor back by a lookback, keeping its format.
enum CursorShift {
    static func back(_ value: String, seconds: Double) -> String? {
        guard let t = Timestamps.parse(value) else { return nil }
        return Timestamps.iso(t - Int(seconds))
    }
}
