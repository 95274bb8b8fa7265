/// Walks the pages of one work item with the resource's paginator: asks the paginator for the
/// first request (or restores it from a checkpoint), sends each page — taking it from the
/// look-ahead when it was asked for early — hands it to the sink, and follows what the paginator
/// says comes next. It never asks which paginator it has: what to ask ahead is the paginator's
/// `lookahead`, where the walk stands its `position`, why it cannot go on its `deadEnd`.
struct PageWalk: ItemWalk {
    let resource: ResourceSpec
    let client: SourceClient
    let auth: any Authenticator
    let sink: any PageConsumer
    /// The paginator every item starts with (the resource's, else the source's default).
    let paginator: any Paginator
    /// Pages of one item requested ahead at most (the source's concurrency limit still holds).
    let lookahead: Int
    let reportProgress: @Sendable () async -> Void
    /// The endpoint's `response_actions` (with `ignore_statuses`), and what they ignored or loaded.
    let rules: ResponseRules
    let tally: ResponseTally

    /// What one page leads to: the next request, or the end of the item (with a note, if any).
    private enum Step { case next(PageRequest), end(String?) }

    func walk(_ item: WorkItem, request built: ItemRequest, resumed: ItemProgress?) async throws -> String? {
        var paginator = paginator
        var request: PageRequest
        if case .next(let saved, let state) = resumed {
            // An interrupted run staged this item's earlier pages: carry on from the next one.
            request = built.resuming(saved.request, isSecret: client.redactor.isSecretParameter)
            paginator.restore(state)
        } else {
            request = paginator.initial(built.page)
        }
        var seen = Set<String>()
        let (client, auth, name, rules) = (client, auth, resource.name, rules)
        let ahead = PagePrefetcher { try await client.send($0, auth: auth, resource: name, rules: rules) }
        // Requests asked for ahead and not needed end (and are counted) before the item does.
        let walked = await Result(awaiting: {
            while true {
                try Task.checkCancellation()
                let step = try await page(
                    request, of: item, built: built, paginator: &paginator, seen: &seen,
                    ahead: ahead)
                switch step {
                case .next(let next): request = next
                case .end(let note): return note
                }
            }
        })
        await ahead.finish()
        return try walked.get()
    }

    /// Sends one page (or takes it from the look-ahead), checks its status, hands it to the sink
    /// and decides what follows; a dead end or a position seen before fails the walk.
    private func page(
        _ request: PageRequest, of item: WorkItem, built: ItemRequest, paginator: inout any Paginator,
        seen: inout Set<String>, ahead: PagePrefetcher
    ) async throws -> Step {
        let http = built.http(request)
        let (response, attempts): (HTTPResponse, Int)
        if let early = ahead.take(http) {
            (response, attempts) = try await early.value
        } else {
            (response, attempts) = try await client.send(http, auth: auth, resource: resource.name, rules: rules)
        }
        let verdict = try rules.verdict(
            response, attempts: attempts, request: http, client: client, resource: resource.name, tally: tally)
        if case .ignore(let note) = verdict {
            await sink.finish(item.key)
            return .end(item.label + note)
        }
        let (_, advanced, next) = try await sink.consume(
            response, item: item, request: request, paginator: paginator,
            url: http.url, lookahead: lookahead
        ) { following in
            ahead.request(following.map(built.http))
        }
        paginator = advanced
        await reportProgress()
        if let reason = paginator.deadEnd { throw failure(reason, url: http.url) }
        guard let next else { return .end(nil) }
        if let position = paginator.position, !seen.insert(position).inserted {
            throw failure(
                "the API returned the same next page (\(client.redactor.redactURL(position))) twice; "
                    + "stopping instead of looping", url: http.url)
        }
        return .next(next)
    }

    private func failure(_ message: String, url: String) -> ExtractError {
        ExtractError(.pagination, resource: resource.name, url: client.redactor.redactURL(url), message: message)
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing body, as a value.
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
