/// Pages of one work item requested ahead, in the order the walk will want them: while a page
/// is normalized, the next one (or, for an offset walk with a known total, the next few) is
/// already on its way. The walk takes them in order; if it asks for something else (a short
/// page moved the offsets), the guesses are cancelled and it asks itself.
final class PagePrefetcher: Sendable {
    typealias Fetch = @Sendable (HTTPRequest) async throws -> (HTTPResponse, Int)
    private let fetch: Fetch
    private let queue = LockedBox([(key: String, task: Task<(HTTPResponse, Int), Error>)]())
    /// Guesses cancelled and not yet awaited.
    private let dropped = LockedBox([Task<(HTTPResponse, Int), Error>]())

    init(_ fetch: @escaping Fetch) { self.fetch = fetch }

    static func key(_ r: HTTPRequest) -> String {
        r.method + " " + r.url + (r.body.map { " " + String(decoding: $0, as: UTF8.self) } ?? "")
    }

    /// Starts the requests not already under way.
    func request(_ requests: [HTTPRequest]) {
        queue.withLock { queue in
            for r in requests {
                let key = Self.key(r)
                guard !queue.contains(where: { $0.key == key }) else { continue }
                let fetch = self.fetch
                queue.append((key, Task { try await fetch(r) }))
            }
        }
    }

    /// The answer to `request` if it was requested ahead and is next in line; otherwise every
    /// guess is dropped and nil says: ask yourself.
    func take(_ request: HTTPRequest) -> Task<(HTTPResponse, Int), Error>? {
        queue.withLock { queue in
            if let first = queue.first, first.key == Self.key(request) {
                queue.removeFirst()
                return first.task
            }
            drop(&queue)
            return nil
        }
    }

    /// Drops what is still ahead (cancelled after the grace) and waits until every request
    /// started here has ended, so that none is still running (and being counted) after the walk.
    func finish() async {
        queue.withLock { drop(&$0) }
        for task in dropped.withLock({ d in
            defer { d.removeAll() }; return d
        }) { _ = await task.result }
    }

    /// A dropped guess is cancelled only after `dropGrace`: cancelled at once, a request whose
    /// head was just written could reach the server without the client learning it was sent,
    /// and the report would count one request less than the server saw. A guess that answers
    /// within the grace is counted as answered; one still running is then surely on the wire.
    static let dropGrace: Duration = .milliseconds(500)

    private func drop(_ queue: inout [(key: String, task: Task<(HTTPResponse, Int), Error>)]) {
        let tasks = queue.map(\.task)
        queue.removeAll()
        guard !tasks.isEmpty else { return }
        Task {
            try? await Task.sleep(for: Self.dropGrace)
            for task in tasks { task.cancel() }
        }
        dropped.withLock { $0 += tasks }
    }
}
