/// A whole project: sources, pipelines and destinations, validated and with variables expanded.
public struct ProjectSpec: Sendable {
    public var sources: [SourceSpec]
    public var pipelines: [PipelineSpec]
    public var destinations: [String: DestinationSpec]
    /// Values that must never appear in logs, errors or the destination.
    public var secrets: Set<String>

    public func source(named name: String) -> SourceSpec? { sources.first { $0.name == name } }
    public func pipeline(named name: String) -> PipelineSpec? { pipelines.first { $0.name == name } }
}

/// `pipelines.<name>`: which source loads into which destination.
public struct PipelineSpec: Sendable {
    public var name: String
    public var source: String
    public var destination: String
    public var location: SpecLocation
}

/// One API: how to talk to it and which resources to read.
public struct SourceSpec: Sendable {
    public var name: String
    public var client: ClientSpec
    public var resources: [ResourceSpec]
    public var location: SpecLocation

    public func resource(named name: String) -> ResourceSpec? { resources.first { $0.name == name } }
}

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

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 30, runBudget: Int = 1000, circuitBreaker: Int = 20) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.runBudget = runBudget
        self.circuitBreaker = circuitBreaker
    }
}

/// Credentials added to every request to the configured origin, and to no other.
public enum AuthSpec: Sendable {
    /// One or more named values, each in a header or a query parameter.
    case apiKey([Credential])
    case bearer(ConfigString)
    case httpBasic(username: ConfigString, password: ConfigString)

    public struct Credential: Sendable {
        public enum Location: String, Sendable, CaseIterable { case header, query }
        public var location: Location
        public var name: String
        public var value: ConfigString
    }

    /// The configured values, for redaction.
    var values: [ConfigString] {
        switch self {
        case .apiKey(let c): return c.map(\.value)
        case .bearer(let t): return [t]
        case .httpBasic(let u, let p): return [u, p]
        }
    }
}

public enum WriteDisposition: String, Sendable, CaseIterable { case append, replace, merge }

/// One endpoint's data, loaded into one root table (or several, with `tables`).
public struct ResourceSpec: Sendable {
    public var name: String
    public var location: SpecLocation
    public var endpoint: EndpointSpec
    public var primaryKey: [String]
    public var writeDisposition: WriteDisposition
    /// Parent fields copied onto each child record, as `_<parent>_<field>` columns.
    public var includeFromParent: [String]
    /// Several tables from one response: table name → selector and key.
    public var tables: [TableSelector]
    public var asyncJob: AsyncJobSpec?
    /// Nesting deeper than this is stored as JSON text.
    public var maxNesting: Int
    public var enabled: Bool
    /// What new columns and tables may do once the destination has the resource's tables.
    public var schemaContract: SchemaContract = .evolve
    /// Rows to drop from the resource's root tables after each load, in the same transaction.
    public var retention: RetentionRule?
    /// Declared types of root-table columns (normalized name → type), e.g. big ids as `decimal`.
    public var columns: [String: DataType] = [:]

    /// The parent resource, when a parameter resolves from one.
    public var parent: String? {
        endpoint.params.lazy.compactMap { if case .resolve(let r, _) = $0.value { return r } else { return nil } }.first
    }
}

/// Keeps a bounded history: the last `keepLast` distinct values of a column (e.g. the last 8
/// fiscal quarters), and/or only rows whose timestamp column is younger than `maxAgeSeconds`.
public struct RetentionRule: Sendable {
    /// Normalized column name.
    public var column: String
    public var keepLast: Int?
    public var maxAgeSeconds: Double?

    public init(column: String, keepLast: Int?, maxAgeSeconds: Double?) {
        self.column = column
        self.keepLast = keepLast
        self.maxAgeSeconds = maxAgeSeconds
    }
}

public struct TableSelector: Sendable {
    public var name: String
    public var dataSelector: String
    public var primaryKey: [String]
}

/// Request shape of a resource.
public struct EndpointSpec: Sendable {
    public var method: String
    public var path: ConfigString
    public var params: [(name: String, value: ParamValue)]
    public var headers: [(String, ConfigString)]
    public var json: JSONTemplate?
    public var dataSelector: String?
    public var paginator: PaginatorSpec?
    public var incremental: IncrementalSpec?
    public var partitions: [PartitionSpec]
    /// Statuses that mean "no data here" rather than failure (e.g. a child's 404).
    public var ignoreStatuses: [Int]
    /// Overrides the source's auth for this endpoint.
    public var auth: AuthSpec?
    /// Where each `resolve` parameter names its parent resource (parameter name → place), for errors.
    public var resolveLocations: [String: SpecLocation] = [:]
}

public enum ParamValue: Sendable {
    case value(ConfigString)
    /// A value from each record of a parent resource: one request per parent record.
    case resolve(resource: String, field: String)
}

/// How to walk pages. Every paginated kind also takes the declared stop conditions, which
/// win over a link or cursor a last page still carries: `hasMorePath` (a boolean in the body)
/// and `stopAfterEmptyPage` (true: an empty page ends the walk; false: it is followed; nil: an
/// empty page that still offers a way on is an error).
public enum PaginatorSpec: Sendable {
    case singlePage
    /// `nextURLPath` nil: not declared, `next` is read (and a link elsewhere is an error).
    case jsonLink(nextURLPath: String?, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    case headerLink(rel: String, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    case offset(limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?,
                stopAfterEmptyPage: Bool? = nil)
    case pageNumber(pageParam: String, basePage: Int, totalPagesPath: String?, hasMorePath: String? = nil,
                    stopAfterEmptyPage: Bool? = nil)
    case cursor(cursorPath: String, cursorParam: String, hasMorePath: String?, stopAfterEmptyPage: Bool? = nil)
    /// Detect from the first response.
    case auto

    public enum Kind: String, Sendable, CaseIterable {
        case single_page, json_link, header_link, offset, page_number, cursor, auto
    }
}

/// Ask only for records newer than the last run's cursor.
public struct IncrementalSpec: Sendable {
    public var cursorPath: String
    public var startParam: String?
    public var endParam: String?
    public var initialValue: ConfigString?
    /// Seconds subtracted from a timestamp cursor before asking (late-arriving updates).
    public var lookbackSeconds: Double
}

/// A resource runs once per value of each partition (their product, when several).
public struct PartitionSpec: Sendable {
    public var name: String
    public var kind: Kind
    public var location: SpecLocation

    public enum Kind: Sendable {
        case list(values: [String], unsetVariables: [String])
        case fiscalQuarters(current: Bool, previous: Int, fiscalYearStartMonth: Int)
        case timeWindows(start: String, end: String?, interval: WindowInterval, bounds: WindowBounds = WindowBounds())
    }

    public enum KindName: String, Sendable, CaseIterable { case list, fiscal_quarters, time_windows }
    public enum WindowInterval: String, Sendable, CaseIterable { case day, week, month, quarter, year }
}

/// How an API reads the two time parameters a window is sent as, so that windows which meet
/// (each one's start is the previous one's end) cover every instant exactly once. A window
/// is `[start, end)`; `{<name>.start}` and `{<name>.end}` are rendered as the values that ask
/// for exactly that under the declared reading: a strict start (`time > X`) is sent one
/// `precision` early, an inclusive end (`time <= X`) one `precision` early.
public struct WindowBounds: Sendable, Hashable {
    public enum Bound: String, Sendable, CaseIterable { case inclusive, exclusive }

    public var start: Bound
    public var end: Bound
    /// The smallest step between two record times the API tells apart, in milliseconds.
    public var precisionMillis: Int

    public init(start: Bound = .inclusive, end: Bound = .exclusive, precisionMillis: Int = 1000) {
        self.start = start
        self.end = end
        self.precisionMillis = precisionMillis
    }
}

/// Create a job, poll it until done, download the result.
public struct AsyncJobSpec: Sendable {
    public var jobIdPath: String
    public var maxConcurrent: Int
    public var pollPath: ConfigString
    public var statusPath: String
    public var pollInterval: Double
    public var timeout: Double
    public var completed: [String]
    public var failed: [String]
    public var download: Download
    public var cancel: Cancel?
    /// How the API says "too many jobs in flight": wait and create again, a bounded number of times.
    public var busy: Busy?

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

/// A JSON body with `{placeholder}`s inside its strings.
public indirect enum JSONTemplate: Sendable {
    case object([(String, JSONTemplate)])
    case array([JSONTemplate])
    /// A string, and where it was written (for placeholder errors).
    case string(String, at: SpecLocation? = nil)
    case literal(String)   // number, true, false, null as written
}
