/// Reads a resource's work items, a bounded number at a time: builds each item's request
/// (`ItemRequest`), skips items an interrupted run finished, and reads the rest through the
/// resource's `ItemWalk` — pages with a paginator, or export jobs — into the resource's sink.
struct PageFetcher: Sendable {
    let resource: ResourceSpec
    let baseURL: String
    let storedState: ResourceState
    let sink: any PageConsumer
    /// How each item is read.
    let walk: any ItemWalk
    /// Answers `response_actions` ignored or loaded with a non-2xx status, for the report.
    let tally = ResponseTally()

    /// `reportProgress` is called after each page (or export job) is taken.
    init(
        resource: ResourceSpec, client: SourceClient, auth: any Authenticator, sink: any PageConsumer,
        session: any JobStateStore, storedState: ResourceState, jobSlots: JobSlots, lookahead: Int,
        reportProgress: @escaping @Sendable () async -> Void
    ) {
        self.resource = resource
        self.baseURL = client.baseURL
        self.storedState = storedState
        self.sink = sink
        if let job = resource.asyncJob {
            walk = JobWalk(
                job: job, resource: resource, client: client, auth: auth, session: session, sink: sink,
                storedState: storedState, slots: jobSlots, reportProgress: reportProgress)
        } else {
            let paginator = (resource.endpoint.paginator ?? .auto).make()
            walk = PageWalk(
                resource: resource, client: client, auth: auth, sink: sink, paginator: paginator,
                lookahead: lookahead, reportProgress: reportProgress,
                rules: ResponseRules(resource.endpoint.answerRules), tally: tally)
        }
    }

    /// Runs every item; a failing item cancels the rest unless it is a failed export job.
    func runAll(_ items: [WorkItem], concurrency: Int) async -> [Result<String?, Error>] {
        await withTaskGroup(of: Result<String?, Error>.self) { group in
            var results: [Result<String?, Error>] = []
            var next = 0
            while next < min(concurrency, items.count) {
                let item = items[next]
                group.addTask { await Result(awaiting: { try await self.fetch(item) }) }
                next += 1
            }
            while let r = await group.next() {
                results.append(r)
                if Self.isHardFailure(r) { group.cancelAll(); break }
                if next < items.count {
                    let item = items[next]
                    group.addTask { await Result(awaiting: { try await self.fetch(item) }) }
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

    /// One item. Returns a note when the item was answered with an ignorable status.
    func fetch(_ item: WorkItem) async throws -> String? {
        let resumed = await sink.resumedProgress(of: item.key)
        if resumed == .done { return nil }
        let start = try resource.endpoint.incremental.flatMap {
            try ItemRequest.incrementalStart($0, itemKey: item.key, storedState: storedState)
        }
        let request = try ItemRequest(resource: resource, item: item, baseURL: baseURL, incrementalStart: start)
        return try await walk.walk(item, request: request, resumed: resumed)
    }
}
