/// How one work item is read, once its request is built: page by page with a paginator
/// (`PageWalk`) or through an export job (`JobWalk`). `PageFetcher` picks one per resource and
/// runs every item through it; both hand what they read to the resource's sink.
protocol ItemWalk: Sendable {
    /// Reads the item; `resumed` is where an interrupted run left it (nil: not started, never
    /// `.done`). Returns a note when the item was answered with an ignorable status.
    func walk(_ item: WorkItem, request: ItemRequest, resumed: ItemProgress?) async throws -> String?
}

/// One export job per work item: create, poll, download the result as one page, stage it.
struct JobWalk: ItemWalk {
    let job: AsyncJobSpec
    let resource: ResourceSpec
    let client: SourceClient
    let auth: any Authenticator
    let session: any JobStateStore
    let sink: any PageConsumer
    let storedState: ResourceState
    /// Export jobs in flight, shared by the resource's items.
    let slots: JobSlots
    let reportProgress: @Sendable () async -> Void
    /// Results in memory at once, across the process.
    var results = ResultBudget.process
    /// The largest result of the resource loaded so far (nil: none yet).
    let largestResult = LockedBox<Int?>(nil)

    func walk(_ item: WorkItem, request built: ItemRequest, resumed: ItemProgress?) async throws -> String? {
        let runner = AsyncJobRunner(
            spec: job, resource: resource, client: client, auth: auth, session: session,
            storedState: storedState, slots: slots)
        let create = built.http(built.page)
        var jobItem = item
        jobItem.placeholders = built.placeholders  // job paths read the same placeholders
        let finished = try await runner.finish(jobItem, createRequest: create)
        try await results.load(WorkItemKey(item.key), largest: largestResult) {
            let response = try await runner.download(finished, item: jobItem)
            _ = try await sink.consume(
                response, item: item, request: built.page, paginator: SinglePagePaginator(),
                url: create.url, lookahead: 1, onNext: { _ in })
            // Written before the next result is downloaded; and the job is forgotten only once its rows
            // are staged: a run killed in between adopts it again instead of spending quota on a new one.
            try await sink.flush()
            return response.body.count
        }
        try await runner.forget(item)
        await reportProgress()
        return nil
    }
}
