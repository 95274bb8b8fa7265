import Synchronization

/// The sandbox's routes and mutable state (created jobs, quota, request log, mutations).
/// Routing is a plain function of the request, so it is testable without a socket.
public final class SandboxAPI: Sendable {
    public let configuration: SandboxConfiguration
    let state = Mutex(State())

    struct State {
        var defaultOrigin = "http://127.0.0.1"
        var requestNumber = 0
        var log: [String] = []
        var generation = 0
        var jobs: [String: CreatedJob] = [:]
        var jobOrder: [String] = []
        var quotaUsed = 0
        var jobCounts = JobCounts()
        var refusedCredentials = 0
        /// Injected faults each request (method, path, query) received in a row, while it has any.
        var faultStreaks: [String: Int] = [:]
    }

    /// A job created through the API (forecast or audit export).
    struct CreatedJob {
        var id: String
        var module: String
        var forecastId: String?
        var timePeriod: String?
        var polls = 0
        /// Status polls until it is done (the configuration's, plus its share of `extraPolls`).
        var pollsNeeded: Int
        var fails = false
        var cancelled = false
        var createdMillis: Int
    }

    let pacer: Pacer

    init(_ configuration: SandboxConfiguration) {
        self.configuration = configuration
        self.pacer = Pacer(configuration.pacing, seed: configuration.seed)
    }

    /// Per host (origin): requests seen, 429s answered for rate or quota, quota used.
    public var pacingCounts: [String: HostPacingCounts] { pacer.counts }

    var defaultOrigin: String { state.withLock { $0.defaultOrigin } }
    func setDefaultOrigin(_ origin: String) { state.withLock { $0.defaultOrigin = origin } }

    /// The data as of the current mutation generation.
    public var dataset: SandboxDataset {
        SandboxDataset(
            scale: configuration.scale, seed: configuration.seed, generation: state.withLock { $0.generation })
    }

    /// Export jobs in flight now, the most there ever were at once, and creations refused.
    public var jobCounts: JobCounts {
        state.withLock { s in
            var counts = s.jobCounts
            counts.inFlightJobs = s.jobOrder.filter { s.jobs[$0].map(isInFlight) ?? false }
            return counts
        }
    }

    /// Every request served, as `METHOD path?query`, oldest first (bounded to the last 200,000).
    public var requestLog: [String] { state.withLock { $0.log } }
    public func clearRequestLog() { state.withLock { $0.log.removeAll() } }
    /// Requests answered 401: credentials missing or not this sandbox's (another tenant's).
    public var refusedCredentials: Int { state.withLock { $0.refusedCredentials } }

    /// Adds audit events and changes some calls, as time passing would.
    public func mutate() { state.withLock { $0.generation += 1 } }

    /// Answers one request: control routes, then auth, then injected faults, then the API.
    public func handle(_ request: SandboxRequest) -> SandboxResponse {
        if request.path.hasPrefix("/_sandbox/") { return control(request) }
        let line = "\(request.method) \(request.path)\(request.rawQuery.isEmpty ? "" : "?" + request.rawQuery)"
        let number = state.withLock { s -> Int in
            s.requestNumber += 1
            if s.log.count >= 200_000 { s.log.removeFirst(100_000) }
            s.log.append(line)
            return s.requestNumber
        }
        let (refusal, rateHeaders) = pacer.admit(host: request.origin)
        var response = refusal ?? fault(number, line) ?? route(request)
        if response.status == 401 { state.withLock { $0.refusedCredentials += 1 } }
        response.headers += rateHeaders
        response.delay = max(
            configuration.latency, pacer.latency(for: number), Faults.delay(for: number, mode: configuration.faults))
        return response
    }

    /// The injected fault for request `number`, if any. Flaky is not down: the same request
    /// (`line`) is faulted at most `Faults.maxInARow` times in a row, so a client retrying it
    /// as often gets through (by request number alone, one request in ~10,000 drew six faults
    /// in a row, a retry budget's worth, and a test run failed now and then).
    private func fault(_ number: Int, _ line: String) -> SandboxResponse? {
        guard configuration.faults != .none else { return nil }
        let fault = Faults.response(for: number, mode: configuration.faults)
        return state.withLock { s -> SandboxResponse? in
            guard let fault, s.faultStreaks[line, default: 0] < Faults.maxInARow else {
                s.faultStreaks[line] = nil  // answered: its streak ends
                return nil
            }
            s.faultStreaks[line, default: 0] += 1
            return fault
        }
    }

    private func control(_ request: SandboxRequest) -> SandboxResponse {
        switch request.path {
        case "/_sandbox/mutate":
            mutate()
            var w = JSONWriter(); w.beginObject(); w.field("generation", state.withLock { $0.generation });
            w.endObject()
            return .json(w)
        case "/_sandbox/pacing":
            return pacingReport()
        case "/_sandbox/credentials":
            var w = JSONWriter(); w.beginObject(); w.field("requests", state.withLock { $0.requestNumber })
            w.field("refused", refusedCredentials); w.endObject()
            return .json(w)
        case "/_sandbox/jobs":
            return jobsReport()
        case "/_sandbox/requests":
            var w = JSONWriter(); w.beginArray(); for line in requestLog { w.string(line) }; w.endArray()
            return .json(w)
        default:
            return .error(404, code: "not_found", message: "No sandbox control route \(request.path)")
        }
    }

    private func route(_ request: SandboxRequest) -> SandboxResponse {
        let path = request.path
        if path.hasPrefix("/copilot/") { return copilot(request, path: String(path.dropFirst("/copilot".count))) }
        for prefix in ["/v4/", "/v2/"] where path.hasPrefix(prefix) {
            return core(request, path: String(path.dropFirst(prefix.count - 1)), version: prefix)
        }
        return .error(404, code: "not_found", message: "Unknown path \(path)")
    }
}

/// What the sandbox saw of export jobs: tests check that a client keeps under the limits.
public struct JobCounts: Sendable, Equatable {
    /// Ids of the jobs in flight, oldest first.
    public var inFlightJobs: [String] = []
    public var inFlight: Int { inFlightJobs.count }
    public var peakInFlight = 0
    /// Creations answered 400 because the quota or the concurrency limit was reached.
    public var refused = 0
}
