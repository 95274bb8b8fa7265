/// How requests to one API are made.
public struct ClientSpec: Sendable {
    public var baseURL: ConfigString
    public var auth: AuthSpec?
    public var headers: [(String, ConfigString)]
    public var paginator: PaginatorSpec?
    /// Requests per second over all of this source's concurrent requests; nil = unlimited.
    public var requestsPerSecond: Double?
    /// Requests in flight at once for this source.
    public var maxConcurrency: Int
    public var retry: RetrySpec
    /// The whole response, head and body, must arrive within this (`timeout`).
    public var timeoutSeconds: Double
    /// The server may stay silent at most this long: for the head, and between two chunks
    /// of the body (`idle_timeout`).
    public var idleTimeoutSeconds: Double
}

/// How often and how patiently a request is retried.
public struct RetrySpec: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Retries the whole run may spend on this source; past it, failures are final.
    public var runBudget: Int
    /// Failed attempts in a row (over all of a resource's concurrent requests) after which
    /// the resource stops instead of retrying on: the API is down, not flaky.
    public var circuitBreaker: Int
    /// Statuses that mean "try again later" for this API (`statuses`); any other error status
    /// is final at once. The default is the transient statuses of RFC 9110 and common practice.
    public var statuses: Set<Int>
    public static let defaultStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    public init(
        maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 30, runBudget: Int = 1000,
        circuitBreaker: Int = 20, statuses: Set<Int> = RetrySpec.defaultStatuses
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.runBudget = runBudget
        self.circuitBreaker = circuitBreaker
        self.statuses = statuses
    }
}

extension ClientSpec {
    /// The keys of a source's `client`.
    static let keys = [
        "base_url", "auth", "headers", "paginator", "rate_limit", "max_concurrency", "retry",
        "timeout", "idle_timeout",
    ]
    /// The keys of `client.rate_limit`.
    static let rateLimitKeys = ["requests_per_second"]

    /// Reads a source's `client`.
    static func read(_ reader: MappingReader) throws(SpecError) -> ClientSpec {
        var r = reader
        let base = try r.requiredString("base_url")
        let auth = try r.mapping("auth", keys: AuthSpec.keys).map { a throws(SpecError) in try AuthSpec.read(a) }
        var headers: [(String, ConfigString)] = []
        if let h = try r.mapping("headers") {
            for e in h.entries { headers.append((e.key, try h.string(e.value, "header '\(e.key)'"))) }
        }
        let paginator = try r.take("paginator").map { n throws(SpecError) in
            try PaginatorSpec.read(n, interpolator: r.interpolator)
        }
        var rate: Double?
        if var rl = try r.mapping("rate_limit", keys: rateLimitKeys) {
            rate = try rl.double("requests_per_second")
            try rl.finish()
        }
        let concurrency = try r.int("max_concurrency", range: 1...256) ?? 8
        let retry = try r.mapping("retry", keys: RetrySpec.keys).map { t throws(SpecError) in try RetrySpec.read(t) }
        let timeout = try r.duration("timeout") ?? 300
        let idle = try r.duration("idle_timeout") ?? min(timeout, 60)
        try r.finish()
        return ClientSpec(
            baseURL: base, auth: auth, headers: headers, paginator: paginator, requestsPerSecond: rate,
            maxConcurrency: concurrency, retry: retry ?? RetrySpec(), timeoutSeconds: timeout,
            idleTimeoutSeconds: idle)
    }
}

extension RetrySpec {
    /// The keys of `client.retry`.
    static let keys = ["max_attempts", "base_delay", "max_delay", "run_budget", "circuit_breaker", "statuses"]

    /// Reads `client.retry`; absent keys keep their defaults.
    static func read(_ reader: MappingReader) throws(SpecError) -> RetrySpec {
        var rt = reader
        var retry = RetrySpec()
        retry.maxAttempts = try rt.int("max_attempts", range: 1...50) ?? retry.maxAttempts
        retry.baseDelay = try rt.duration("base_delay") ?? retry.baseDelay
        retry.maxDelay = try rt.duration("max_delay") ?? retry.maxDelay
        retry.runBudget = try rt.int("run_budget", range: 0...1_000_000) ?? retry.runBudget
        retry.circuitBreaker = try rt.int("circuit_breaker", range: 1...10_000) ?? retry.circuitBreaker
        if let list = try rt.stringList("statuses") {
            retry.statuses = Set(try EndpointSpec.errorStatuses(list, what: "retry 'statuses'"))
        }
        try rt.finish()
        return retry
    }
}
