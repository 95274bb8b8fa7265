/// How a sandbox behaves: data size, seed, credentials it accepts, injected faults, limits.
public struct SandboxConfiguration: Sendable {
    /// Multiplies record counts; scale 1 is the test size, scale 100 still costs no memory.
    public var scale: Int
    public var seed: UInt64
    public var faults: FaultMode
    public var credentials: SandboxCredentials
    public var monthlyQuota: Int
    public var concurrentLimit: Int
    /// Status polls a created export job takes to finish.
    public var pollsUntilDone: Int
    /// Extra polls the n-th created job takes, cycling through the list (none by default): lets
    /// tests make export jobs finish in another order than they were created.
    public var extraPolls: [Int]
    /// When set, job status carries a `downloadUrl` on this origin (another host) instead of
    /// relying on the `/results` path; used to prove credentials stay on their host.
    public var downloadOrigin: String?
    /// Seconds every answer waits, to make runs long enough to interrupt in tests.
    public var latency: Double
    /// How `GET /export/jobs/{jobId}` carries the job: `{"job": {…}}` (production clients) or
    /// flat (Clari's API reference).
    public var jobStatusShape: JobStatusShape = .wrapped
    /// How `GET /export/jobs` lists jobs: a bare array (the reference) or `{"jobs": […]}`.
    public var jobListShape: JobListShape = .array
    /// Per-host latency ranges, rate limits and weekly quota (the realistic benchmark); off by default.
    public var pacing = PacingConfiguration()

    public init(
        scale: Int = 1, seed: UInt64 = 42, faults: FaultMode = .none,
        credentials: SandboxCredentials = .demo, monthlyQuota: Int = 500,
        concurrentLimit: Int = 3, pollsUntilDone: Int = 3, extraPolls: [Int] = [], downloadOrigin: String? = nil,
        latency: Double = 0
    ) {
        self.latency = latency
        self.scale = max(1, scale)
        self.seed = seed
        self.faults = faults
        self.credentials = credentials
        self.monthlyQuota = monthlyQuota
        self.concurrentLimit = concurrentLimit
        self.pollsUntilDone = max(1, pollsUntilDone)
        self.extraPolls = extraPolls.map { max(0, $0) }
        self.downloadOrigin = downloadOrigin
    }
}

/// The credentials a sandbox accepts. `.demo` is what `connector demo` uses.
public struct SandboxCredentials: Sendable {
    public var apiKey: String
    public var partnerKey: String
    public var copilotKey: String
    public var copilotPassword: String

    public init(apiKey: String, partnerKey: String, copilotKey: String, copilotPassword: String) {
        self.apiKey = apiKey
        self.partnerKey = partnerKey
        self.copilotKey = copilotKey
        self.copilotPassword = copilotPassword
    }

    public static let demo = SandboxCredentials(
        apiKey: "sandbox-api-key", partnerKey: "sandbox-partner-key",
        copilotKey: "sandbox-copilot-key", copilotPassword: "sandbox-copilot-password")

    /// Keys of tenant `name`'s own (`NAME-api-key`, …): a sandbox started for one tenant refuses
    /// every other tenant's, so a run that sends another's keys fails and is counted.
    public static func tenant(_ name: String) -> SandboxCredentials {
        SandboxCredentials(
            apiKey: "\(name)-api-key", partnerKey: "\(name)-partner-key", copilotKey: "\(name)-copilot-key",
            copilotPassword: "\(name)-copilot-password")
    }
}

/// Faults the sandbox injects, deterministically by request number.
public enum FaultMode: String, Sendable, CaseIterable {
    case none
    /// 429 with Retry-After, 500, 504, slow answers and dropped connections, interleaved.
    case flaky
}

/// The two shapes of a job status answer found in the wild.
public enum JobStatusShape: String, Sendable, CaseIterable {
    case wrapped, flat
}

/// The two shapes of the job list found in the wild.
public enum JobListShape: String, Sendable, CaseIterable {
    case array, object
}
