import CivilTime
/// Everything the sandbox serves, as functions of (seed, scale, index, generation).
/// Tests read their expected counts from here rather than from literals.
public struct SandboxDataset: Sendable {
    public let scale: Int
    let random: Deterministic
    /// Bumped by `/_sandbox/mutate`: new audit events appear and some calls change.
    public let generation: Int

    public init(scale: Int, seed: UInt64, generation: Int = 0) {
        self.scale = max(1, scale)
        self.random = Deterministic(seed: seed)
        self.generation = generation
    }

    // MARK: counts

    public var auditEventCount: Int { 2000 * scale + 50 * generation }
    public var exportJobCount: Int { 4 + scale }
    public func exportJobResultCount(job k: Int) -> Int { 40 + (k * 37) % 41 }
    public var callCount: Int { 300 * scale }
    public var copilotUserCount: Int { 25 * scale }
    public var topicNames: [String] {
        [
            "pricing", "competition", "security review", "onboarding", "renewal", "integrations",
            "budget", "timeline", "decision process", "legal", "support", "roadmap",
        ]
    }
    public var scorecardCount: Int { 80 * scale }
    public var forecastUserCount: Int { 6 * scale + 2 }
    public let forecastFields = ["commit", "best_case", "pipeline", "quota"]
    public let timeFramesPerQuarter = 13

    /// Forecast ids the sandbox knows, with the one whose exports always fail.
    public static let forecasts: [(id: String, name: String, fails: Bool)] = [
        ("1001", "Worldwide Commit", false), ("1002", "EMEA Pipeline", false), ("1003", "APAC Forecast", true),
    ]

    /// Calls whose details answer 404, as the real API occasionally does.
    public func callDetailsMissing(_ i: Int) -> Bool { i % 50 == 49 }

    /// Ingest job ids look like `ingest-<n>`.
    public func ingestJobNumber(_ id: String) -> Int? {
        guard id.hasPrefix("ingest-"), let n = Int(id.dropFirst(7)), n >= 1, n <= 9999 else { return nil }
        return n
    }

    // MARK: audit events

    static let auditStart = Timestamps.days(fromCivil: 2025, 1, 1) * 86_400
    static let auditStep = 60
    public func auditSeconds(_ i: Int) -> Int { Self.auditStart + i * Self.auditStep }

    /// The index range of audit events with `from <= time < to` (seconds).
    func auditRange(from: Int?, to: Int?) -> Range<Int> {
        var lo = 0, hi = auditEventCount
        if let from { lo = max(0, min(hi, (from - Self.auditStart + Self.auditStep - 1) / Self.auditStep)) }
        if let to { hi = max(lo, min(hi, (to - Self.auditStart + Self.auditStep - 1) / Self.auditStep)) }
        return lo..<hi
    }

    public func tagCount(auditEvent i: Int) -> Int { i % 3 }

    static let events = [
        "api.accessed", "user.login", "forecast.viewed", "forecast.updated", "export.created",
        "settings.changed", "report.downloaded", "user.logout",
    ]

    func writeAuditEvent(_ i: Int, to w: inout JSONWriter) {
        let actor = random.int(1, i, below: 20 * scale + 5)
        w.beginObject()
        w.field("eventTimestamp", Timestamps.iso(auditSeconds(i), millis: i % 1000))
        w.field("actorId", "usr-\(actor)")
        w.field("impersonatingActorId", i % 17 == 0 ? "usr-\(random.int(2, i, below: 10))" : nil)
        w.field("actorType", random.pick(["USER", "USER", "USER", "SYSTEM", "JOB"], 3, i))
        w.field("sessionId", random.uuid(4, i))
        w.field("sessionType", random.pick(["WEB", "WEB", "IOS", "ANDROID"], 5, i))
        w.field("ipAddress", "10.\(random.int(6, i, below: 256)).\(random.int(7, i, below: 256)).\(i % 256)")
        w.field("event", random.pick(Self.events, 8, i))
        w.key("eventParameters"); w.beginObject()
        w.field("path", "/forecast/\(random.int(9, i, below: 40))")
        w.field("count", random.int(10, i, below: 1000))
        if i % 5 == 0 { w.field("note", "Prévision mise à jour — 更新 ✓ \"quoted\"") }
        w.key("filters"); w.beginObject(); w.field("region", random.pick(["EMEA", "AMER", "APAC"], 11, i));
        w.endObject()
        w.key("tags"); w.beginArray()
        for t in 0..<tagCount(auditEvent: i) { w.string("tag-\(t)-\(random.int(12, i, below: 9))") }
        w.endArray()
        w.endObject()
        w.field("correlationID", random.uuid(13, i))
        w.endObject()
    }

    func writeActor(_ actor: Int, to w: inout JSONWriter) {
        let name = random.personName(20, actor)
        w.beginObject()
        w.field("actorType", "USER"); w.field("actorId", "usr-\(actor)")
        w.field("name", name); w.field("email", random.email(for: name, index: actor))
        w.endObject()
    }

    func actorIds(ofAuditEvents range: Range<Int>) -> [Int] {
        var seen = Set<Int>()
        var ordered: [Int] = []
        for i in range {
            let a = random.int(1, i, below: 20 * scale + 5)
            if seen.insert(a).inserted { ordered.append(a) }
        }
        return ordered
    }
}
