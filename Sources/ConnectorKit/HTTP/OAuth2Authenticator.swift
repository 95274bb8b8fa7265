/// `Authorization: Bearer <token>`, the token got with the OAuth 2 client credentials grant.
/// It waits for a token when it has none or when the one it has is about to expire, and fails
/// the request when the token endpoint refuses; after a 401 it forgets the token it sent, so
/// the credential step's one resend carries a new one.
public struct OAuth2Authenticator: Authenticator {
    let cache: TokenCache

    public func authorize(_ request: inout HTTPRequest, context: RequestContext) async throws(ExtractError) {
        let token = try await cache.token(context)
        request.headers.removeAll { HeaderName.same($0.0, "Authorization") }
        request.headers.append(("Authorization", "Bearer \(token)"))
    }

    public func rejected(_ request: HTTPRequest) async -> Bool {
        guard let header = request.headers.first(where: { HeaderName.same($0.0, "Authorization") })?.1,
            header.hasPrefix("Bearer ")
        else { return false }
        await cache.forget(String(header.dropFirst("Bearer ".count)))
        return true
    }
}

/// One token shared by every request of a source: fetched once however many requests wait
/// for it, kept until shortly before it expires (on the run's clock), and learned by the
/// redactor the moment it arrives so no message or log can show it.
actor TokenCache {
    typealias Send = @Sendable (HTTPRequest, RequestContext) async throws(ExtractError) -> HTTPResponse
    private struct Token: Sendable {
        let value: String
        let refreshAt: ContinuousClock.Instant
    }

    let client: TokenClient
    let clock: any RunClock
    private let send: Send
    private var current: Token?
    private var fetching: Task<Result<Token, ExtractError>, Never>?

    init(client: TokenClient, clock: any RunClock, send: @escaping Send) {
        self.client = client
        self.clock = clock
        self.send = send
    }

    /// The token to send now: the cached one while it is fresh, else a new one.
    func token(_ context: RequestContext) async throws(ExtractError) -> String {
        if let current, clock.now < current.refreshAt { return current.value }
        let task = fetching ?? Task { [client, clock, send] in await Self.fetch(client, clock, send, context) }
        fetching = task
        let result = await task.value
        // The first waiter back stores the token (a later one must not bring back a token since
        // forgotten) or, on failure, lets the next request try again.
        if fetching == task {
            fetching = nil
            current = try? result.get()
        }
        return try result.get().value
    }

    /// The API refused `token`: the next request fetches another (unless one already did).
    func forget(_ token: String) {
        if current?.value == token { current = nil }
    }

    /// Refreshes when a tenth of the lifetime is left, or a minute, whichever is less.
    static func refreshMargin(lifetime: Double) -> Double { min(60, lifetime / 10) }

    private static func fetch(
        _ client: TokenClient, _ clock: any RunClock, _ send: Send,
        _ context: RequestContext
    ) async -> Result<Token, ExtractError> {
        var tokenContext = context
        tokenContext.auth = NoAuth()
        tokenContext.attempt = 1
        let request = client.request
        do throws(ExtractError) {
            let response = try await send(request, tokenContext)
            let (value, lifetime) = try client.read(response, request, context: tokenContext)
            context.redactor.learn(value)
            let keep = lifetime - refreshMargin(lifetime: lifetime)
            return .success(Token(value: value, refreshAt: clock.now + .milliseconds(Int64(keep * 1000))))
        } catch {
            return .failure(error)
        }
    }
}
