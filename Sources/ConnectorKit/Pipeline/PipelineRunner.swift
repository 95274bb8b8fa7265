import Foundation
import Logging

/// Runs one pipeline: every resource of its source (parents before their children,
/// independent resources concurrently) into one load of its destination.
public struct PipelineRunner: Sendable {
    public let project: ProjectSpec
    public let destination: any Destination
    public let progress: ProgressReporter
    /// Limiters shared with other pipelines running at the same time (nil: this run's own).
    public let limiters: RequestLimiters?
    /// Where every request attempt is logged (method, redacted URL, status, time, attempt).
    public var logger: Logger = .nowhere
    /// Pages read at most per resource, and work items started at most (a dry run's sample);
    /// nil: everything.
    public var pageLimit: Int?

    public init(
        project: ProjectSpec, destination: any Destination, progress: ProgressReporter = .silent,
        limiters: RequestLimiters? = nil
    ) {
        self.project = project
        self.destination = destination
        self.progress = progress
        self.limiters = limiters
    }

    /// Runs `pipeline`, optionally only the named resources (and the parents they need).
    /// `fullRefresh` ignores stored cursors and jobs and replaces the resources' tables; `scope`
    /// keeps only some units of work (a shard's share, chosen partitions: `WorkScope`).
    public func run(
        _ pipelineName: String, resources only: [String]? = nil, fullRefresh: Bool = false, scope: WorkScope = .all
    ) async throws -> RunReport {
        guard let pipeline = project.pipeline(named: pipelineName) else {
            throw PipelineError.unknownPipeline(pipelineName, known: project.pipelines.map(\.name))
        }
        guard let source = project.source(named: pipeline.source) else {
            throw PipelineError.unknownPipeline(pipeline.source, known: project.sources.map(\.name))
        }
        let selected = try Self.selectResources(source, only: only)
        try WorkPlan.check(scope, selected, fullRefresh: fullRefresh, now: Date())
        let started = ContinuousClock.now
        let startedAt = Self.now()
        let (client, transport) = try makeClient(source)
        let previousRows = await PreviousLoads.rows(destination, pipeline: pipeline.name, for: selected)
        let fingerprint = Self.fingerprint(
            pipeline.name, selected, fullRefresh: fullRefresh, scope: scope, redactor: client.redactor)
        let (session, resumePoint, loadId): (any LoadSession, ResumePoint?, String)
        do {
            (session, resumePoint, loadId) = try await openLoad(pipeline.name, fingerprint: fingerprint)
        } catch {
            await transport.shutdown()
            throw error
        }
        let context = RunContext(
            source: source, client: client, session: session, loadId: loadId,
            existingTables: (try? await session.existingTables()) ?? [:],
            fullRefresh: fullRefresh, resumePoint: resumePoint, selected: selected, previousRows: previousRows,
            scope: scope)
        await runResources(context)
        await transport.shutdown()

        let order = selected.map(\.name)
        let results = context.reports.withLock { $0 }.sorted {
            (order.firstIndex(of: $0.resource) ?? 0) < (order.firstIndex(of: $1.resource) ?? 0)
        }
        let summary = LoadSummary(
            loadId: loadId, pipeline: pipeline.name, startedAt: startedAt, finishedAt: Self.now(),
            reports: results, publications: context.publications.withLock { $0 })
        var committed = false
        if results.contains(where: { $0.status != .failed }) {
            try await session.commit(summary)
            committed = true
        } else {
            await session.abort()
        }
        return RunReport(
            pipeline: pipeline.name, destination: destination.name, loadId: loadId, outcomes: results,
            committed: committed, seconds: (ContinuousClock.now - started).seconds,
            bytes: client.stats.total.bytes)
    }

    /// Begins a load, adopting an interrupted one's staged work when its fingerprint matches (its
    /// load id is then kept, so its rows publish under the id they were staged with).
    private func openLoad(
        _ pipeline: String, fingerprint: String
    ) async throws -> (any LoadSession, ResumePoint?, String) {
        let freshLoadId = Self.makeLoadId()
        let session = try await destination.beginLoad(pipeline: pipeline, loadId: freshLoadId)
        let resumePoint = try await session.prepareStaging(fingerprint: fingerprint)
        return (session, resumePoint, resumePoint?.loadId ?? freshLoadId)
    }

    /// What every resource of one run shares, and where their reports and publications gather.
    private struct RunContext: Sendable {
        let source: SourceSpec
        let client: SourceClient
        let session: any LoadSession
        let loadId: String
        let existingTables: [String: [Column]]
        let fullRefresh: Bool
        let resumePoint: ResumePoint?
        let selected: [ResourceSpec]
        /// Rows per table of the previous load, for `max_change` checks.
        let previousRows: [String: Int]
        let scope: WorkScope
        let reports = LockedBox([ResourceReport]())
        let publications = LockedBox([ResourcePublication]())
    }

    /// The source's HTTP client (and its transport, to shut down when the run ends).
    private func makeClient(_ source: SourceSpec) throws -> (SourceClient, HTTPTransport) {
        let secrets = project.secrets.union(source.derivedSecrets())
        let redactor = Redactor(secrets: secrets, secretParameters: source.secretParameterNames(secrets: secrets))
        let baseURL = try source.client.baseURL.required("base_url of source '\(source.name)'")
        let headers = try source.client.headers.map { ($0.0, try $0.1.required("header \($0.0)")) }
        let transport = HTTPTransport(idleTimeoutSeconds: source.client.idleTimeoutSeconds)
        let limiter =
            limiters?.limiter(for: source)
            ?? RequestLimiter(
                requestsPerSecond: source.client.requestsPerSecond, maxConcurrent: source.client.maxConcurrency)
        let client = SourceClient(
            baseURL: baseURL, transport: transport, limiter: limiter, retry: source.client.retry,
            timeoutSeconds: source.client.timeoutSeconds, headers: headers, redactor: redactor,
            onRetry: { [progress] notice in progress.report(.retrying(resource: notice.failure.resource, notice)) },
            logger: logger)
        return (client, transport)
    }

    /// Every root resource concurrently, each followed by its children.
    private func runResources(_ context: RunContext) async {
        let selected = context.selected
        let children = Dictionary(grouping: selected.filter { $0.parent != nil }, by: { $0.parent ?? "" })
        await withTaskGroup(of: Void.self) { group in
            for resource in selected
            where resource.parent == nil || !selected.contains(where: { $0.name == resource.parent }) {
                group.addTask { await runTree(resource, parent: nil, children: children, context) }
            }
        }
    }

    /// One resource, then (when it read every record) its children with its records; a child of a
    /// failed or skipped parent is reported as such. Children start while the parent's last rows
    /// are still being written; their own writes wait for the parent's outcome (`ChildSession`).
    private func runTree(
        _ resource: ResourceSpec, parent: ParentLink?, children: [String: [ResourceSpec]], _ context: RunContext
    ) async {
        let kids = children[resource.name] ?? []
        progress.report(.started(resource: resource.name))
        let session =
            parent.map { ChildSession(base: context.session, parent: $0.name, parentOutcome: $0.outcome) }
            ?? context.session
        var runner = ResourceRunner(
            resource: resource, source: context.source, client: context.client,
            session: session, loadId: context.loadId, childFields: Self.fieldsResolved(by: kids),
            progress: progress, existingTables: context.existingTables,
            fullRefresh: context.fullRefresh,
            resumed: context.resumePoint?.resources[resource.name], pageLimit: pageLimit,
            previousRows: context.previousRows, scope: context.scope)
        let records = OneShot<[[String: Value]]?>()
        let outcome = OneShot<ResourceReport.Status>()
        if !kids.isEmpty { runner.onRead = { await records.give($0) } }
        await withTaskGroup(of: Void.self) { group in
            if !kids.isEmpty {
                group.addTask {
                    guard let rows = await records.value() else { return }
                    let link = ParentLink(name: resource.name, rows: rows, outcome: outcome)
                    await withTaskGroup(of: Void.self) { kidsGroup in
                        for kid in kids {
                            kidsGroup.addTask { await runTree(kid, parent: link, children: children, context) }
                        }
                    }
                }
            }
            let (report, publication) = await runner.run(parent: parent.map { ($0.name, $0.rows) })
            context.reports.withLock { $0.append(report) }
            if let publication {
                context.publications.withLock { $0.append(publication) }
                await context.session.stagingFinished(publication)
            }
            await outcome.give(report.status)
            await records.give(nil)  // children that never started: reported below
            guard await records.value() == nil else { return }
            for kid in kids { reportNotRun(kid, parent: resource.name, status: report.status, context) }
        }
    }

    /// The fields of a resource's records that its children resolve from or include.
    private static func fieldsResolved(by kids: [ResourceSpec]) -> [String] {
        let fields = kids.flatMap { kid in
            kid.endpoint.params.compactMap { p -> String? in
                if case .resolve(_, let f) = p.value { return f } else { return nil }
            } + kid.includeFromParent
        }
        return Array(Set(fields)).sorted()
    }

    /// Reports a child that never started: its parent failed or was skipped before reading every record.
    private func reportNotRun(_ kid: ResourceSpec, parent: String, status: ResourceReport.Status, _ context: RunContext)
    {
        var report = ResourceReport(resource: kid.name, status: status == .failed ? .failed : .skipped)
        report.message = ChildSession.ParentFailed(parent: parent, status: status).description
        progress.report(.finished(report))
        context.reports.withLock { $0.append(report) }
    }

    /// What a child resource has of its parent: its name, its records and its outcome to come.
    private struct ParentLink: Sendable {
        let name: String
        let rows: [[String: Value]]
        let outcome: OneShot<ResourceReport.Status>
    }

    /// Enabled resources, or the named ones plus the parents they resolve from.
    static func selectResources(_ source: SourceSpec, only: [String]?) throws -> [ResourceSpec] {
        guard let only, !only.isEmpty else { return source.resources.filter(\.enabled) }
        var wanted = Set<String>()
        for name in only {
            guard var r = source.resource(named: name) else {
                throw PipelineError.unknownResource(name, known: source.resources.map(\.name))
            }
            wanted.insert(r.name)
            while let p = r.parent, let parent = source.resource(named: p) { wanted.insert(p); r = parent }
        }
        return source.resources.filter { wanted.contains($0.name) }
    }

    /// Identifies what a load does — the pipeline, the selected resources as declared, the
    /// options — so that only an identical run adopts an interrupted load's staged work. A resource
    /// read from YAML counts by its canonical declaration: the same in every process and cheap (a
    /// printed `ResourceSpec` listed its dictionaries in a per-process order, so a resource with two
    /// column hints never resumed, and cost ~8 M instructions a resource). One built in code counts
    /// by `CanonicalDump`, its spec file's path left out. Secret values (`redactor`'s) are masked
    /// first: the fingerprint is stored in the destination, and a rotated key is still the same load.
    static func fingerprint(
        _ pipeline: String, _ resources: [ResourceSpec], fullRefresh: Bool, scope: WorkScope = .all,
        redactor: Redactor = Redactor(secrets: [String]())
    ) -> String {
        let declared = resources.map { r in
            redactor.redact(
                r.declaration.isEmpty
                    ? CanonicalDump.of(r, path: r.location.file)
                    : r.name + "=" + r.declaration)
        }
        let scoped = scope.isPartial ? [scope.description] : []
        return StableID.make([pipeline, fullRefresh ? "full-refresh" : "incremental"] + scoped + declared)
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    static func makeLoadId() -> String {
        let millis = Int(Date().timeIntervalSince1970 * 1000)
        return "\(millis)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}

public enum PipelineError: Error, Sendable, CustomStringConvertible {
    case unknownPipeline(String, known: [String])
    case unknownResource(String, known: [String])

    public var description: String {
        switch self {
        case .unknownPipeline(let n, let known):
            let hint = Suggest.nearest(n, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            return "no pipeline named '\(n)'\(hint); pipelines: \(known.joined(separator: ", "))"
        case .unknownResource(let n, let known):
            let hint = Suggest.nearest(n, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            return "no resource named '\(n)'\(hint); resources: \(known.joined(separator: ", "))"
        }
    }
}
