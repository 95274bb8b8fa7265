/// Where a walk hands the pages it reads, and asks where an interrupted run left an item. The
/// extract loop knows only this: the pipeline's `ResourceSink` (normalize, stage, checkpoint)
/// conforms, so Extract does not depend on what comes after it in the flow.
protocol PageConsumer: Actor {
    /// Where an interrupted run left a work item (nil: not started).
    func resumedProgress(of key: String) -> ItemProgress?

    /// Marks a work item finished without a page (an ignored status).
    func finish(_ key: String)

    /// Takes one page of `request` and advances `paginator` with it; `onNext` gets the following
    /// requests as soon as they are known (see `Paginator.lookahead`). Returns the records the
    /// page held, the advanced paginator and the next request, if any.
    func consume(
        _ response: HTTPResponse, item: WorkItem, request: PageRequest, paginator: any Paginator,
        url unredacted: String, lookahead: Int, onNext: @Sendable ([PageRequest]) -> Void
    )
        async throws -> (records: Int, paginator: any Paginator, next: PageRequest?)

    /// Saves everything taken so far, with the checkpoint it makes true.
    func flush() async throws
}
