import Foundation

/// Reads one resource completely — every partition, every parent record, every page — and
/// stages its rows. Never throws: the outcome says what happened.
struct ResourceRunner: Sendable {
    let resource: ResourceSpec
    let source: SourceSpec
    let client: SourceClient
    var session: any LoadSession
    let loadId: String
    /// Fields of this resource's records that its children need.
    let childFields: [String]
    let progress: ProgressReporter
    /// The destination's tables before this run (read once per run).
    let existingTables: [String: [Column]]
    /// Ignore stored state and rebuild the resource's tables from scratch.
    var fullRefresh = false
    /// What an interrupted run of this load staged for the resource.
    var resumed: ResumedResource? = nil
    /// A sample: at most this many work items and pages (see `PipelineRunner.pageLimit`).
    var pageLimit: Int? = nil
    /// Rows per table of the previous load (for a `max_change` check).
    var previousRows: [String: Int] = [:]
    /// The units of work this run owns (children follow their parent's units).
    var scope: WorkScope = .all
    /// Told the records children resolve from as soon as every work item was read, before the
    /// last rows are written: the children start meanwhile (`ChildSession`).
    var onRead: (@Sendable ([[String: Value]]) async -> Void)? = nil

    func run(parent: (name: String, rows: [[String: Value]])?) async -> (ResourceReport, ResourcePublication?) {
        let started = ContinuousClock.now
        let probes = checkProbes()
        let runner = probes.map(checked) ?? self
        let sink = ResourceSink(
            resource: resource, session: runner.session, loadId: loadId, parentFields: childFields,
            existing: existingTables, redactor: client.redactor, resumed: resumed, totals: probes?.totals,
            pageLimit: pageLimit)
        var notes: [String] = []
        if let resumed {
            let finished = resumed.items.values.filter { $0 == .done }.count
            let rows = resumed.progress.rows.values.reduce(0, +)
            notes.append(
                "resumed the interrupted load: \(resumed.progress.pages) page(s) and \(rows) row(s) "
                    + "were already staged, \(finished) work item(s) finished")
        }
        let ending: Ending
        do {
            ending = try await runner.extract(parent: parent, sink: sink, started: started, notes: &notes)
        } catch {
            await sink.settleWrites()
            ending = .failed(error)
        }
        var (report, publication) = await outcome(of: ending, notes: notes, sink: sink, started: started)
        if let probes, case .succeeded = ending { await applyChecks(probes, to: &report, sink: sink) }
        progress.report(.finished(report))
        guard case .succeeded = ending, report.status == .succeeded else { return (report, nil) }
        return (report, publication)
    }

    /// The resource's partition items this run owns (a root resource's, filtered by `scope`;
    /// children follow their parent's units), or why it has nothing to do.
    private func ownedItems(parentless: Bool) -> (items: [WorkItem], skipNote: String?) {
        let (items, note) = PartitionExpander.expand(resource.endpoint.partitions)
        guard parentless, note == nil, scope.isPartial else { return (items, note) }
        let owned = items.filter { scope.includes(resource, $0) }
        return (owned, owned.isEmpty ? "skipped: none of its units is in \(scope)" : nil)
    }

    /// How reading the resource ended, before it is told as a report and a publication.
    private enum Ending {
        case skipped
        /// Every item was read; `failedJobs` are export jobs that failed one by one.
        case succeeded(failedJobs: [ExtractError], items: [WorkItem], previousState: ResourceState)
        case failed(any Error)
    }

    /// Reads every work item into `sink` and stages the rest of its rows.
    private func extract(
        parent: (name: String, rows: [[String: Value]])?, sink: ResourceSink,
        started: ContinuousClock.Instant, notes: inout [String]
    ) async throws -> Ending {
        let auth = try (resource.endpoint.auth ?? source.client.auth)?.makeAuthenticator(client: client) ?? NoAuth()
        let (partitionItems, skipNote) = ownedItems(parentless: parent == nil)
        if let skipNote {
            notes.append(skipNote)
            return .skipped
        }
        var items = try workItems(partitionItems, parent: parent, notes: &notes)
        if let pageLimit, items.count > pageLimit {
            notes.append("sample: the first \(pageLimit) of \(items.count) work items")
            items = Array(items.prefix(pageLimit))
        }
        await sink.setItemOrder(items)
        let previous = try await session.state(resource: resource.name)
        // Jobs in flight are adopted even by a full refresh: they hold the API's job slots.
        var stored = fullRefresh ? ResourceState(jobs: previous.jobs) : previous
        let adoption = try await adoptJobs(&items, state: &stored, notes: &notes)
        let jobSlots = JobSlots(capacity: resource.asyncJob?.maxConcurrent ?? 1, adopted: adoption?.adopted ?? [])
        let (progress, name) = (progress, resource.name)
        let fetcher = PageFetcher(
            resource: resource, client: client, auth: auth, sink: sink, session: session,
            storedState: stored, jobSlots: jobSlots, lookahead: source.client.maxConcurrency
        ) {
            let figures = await sink.progress(elapsed: (ContinuousClock.now - started).seconds)
            progress.report(.progress(resource: name, figures))
        }
        let settling = Task { [stored] in
            try await settle(adoption?.orphans ?? [], auth: auth, state: stored, slots: jobSlots)
        }
        // Export jobs: as many items again as job slots, plus one, so that jobs keep running while
        // finished ones wait for their turn to load (`ResultBudget`: one result in memory at a time).
        let limit = resource.asyncJob.map { 2 * $0.maxConcurrent + 1 } ?? source.client.maxConcurrency
        let results = await fetcher.runAll(items, concurrency: limit)
        if results.contains(where: PageFetcher.isHardFailure) { settling.cancel() }
        let settled = await settling.result
        var failures: [ExtractError] = []
        for result in results {
            switch result {
            case .success(let note): if let note { notes.append(note) }
            case .failure(let error):
                if let e = error as? ExtractError, e.kind == .job { failures.append(e) } else { throw error }
            }
        }
        notes += try settled.get()
        if !failures.isEmpty, resource.asyncJob?.failedJobs ?? .fail == .fail {
            throw FailedJobs(failures: failures, items: items.count)
        }
        if let note = fetcher.tally.note { notes.append(note) }
        if let onRead { await onRead(await sink.parentRows) }
        try await sink.flush()
        return .succeeded(failedJobs: failures, items: items, previousState: previous)
    }

    /// The resource's outcome: what the report shows, and (when it succeeded) what the load
    /// session publishes.
    private func outcome(
        of ending: Ending, notes: [String], sink: ResourceSink,
        started: ContinuousClock.Instant
    ) async -> (ResourceReport, ResourcePublication?) {
        var outcome = ResourceReport(resource: resource.name, status: .succeeded)
        var publication: ResourcePublication?
        outcome.notes = notes
        switch ending {
        case .skipped:
            outcome.status = .skipped
            return (outcome, nil)
        case .failed(let error):
            outcome.status = .failed
            outcome.message = client.redactor.redact(String(describing: error))
        case .succeeded(let failures, let items, let previous):
            let summary = await sink.summary()
            outcome.rows = summary.rows
            outcome.schemaChanges = summary.schemaChanges
            outcome.notes += await sink.leftOutNotes
            publication = ResourcePublication(
                resource: resource.name, tables: summary.tables, roots: roots, retention: resource.retention,
                state: stateChange(cursors: await sink.cursors, previous: previous),
                replacedUnits: replacedUnits(items))
            if !failures.isEmpty {
                // Failed export jobs are reported one by one; the other work items still load.
                outcome.notes += failures.map { $0.message }
                outcome.message = "\(failures.count) of \(items.count) export job\(items.count == 1 ? "" : "s") failed"
            }
        }
        outcome.pages = await sink.pages
        outcome.requests = client.stats.of(resource.name).requests
        outcome.retries = client.stats.of(resource.name).retries
        outcome.seconds = (ContinuousClock.now - started).seconds
        return (outcome, publication)
    }

    var roots: [RootTable] {
        guard resource.selected else { return [] }
        let disposition = fullRefresh ? .replace : resource.writeDisposition
        if resource.tables.isEmpty {
            return [RootTable(name: resource.name, disposition: disposition, primaryKey: resource.primaryKey)]
        }
        return resource.tables.map { RootTable(name: $0.name, disposition: disposition, primaryKey: $0.primaryKey) }
    }

    /// The cursors reached are stored; a full refresh also removes every entry it did not set.
    func stateChange(cursors: [String: String], previous: ResourceState) -> StateChange {
        var change = StateChange()
        if let incremental = resource.endpoint.incremental {
            for (key, value) in cursors {
                // A backfill (end_value) never moves a cursor that a regular run took further.
                if incremental.endValue != nil, let stored = previous.cursors[WorkItemKey(key)],
                    !CursorValue.isGreater(value, than: stored, format: incremental.cursorFormat)
                {
                    continue
                }
                change.updates.cursors[WorkItemKey(key)] = value
            }
        }
        if fullRefresh {
            let kept = Set(change.updates.keys)
            change.removals = previous.keys.filter { !kept.contains($0) }
        }
        return change
    }

    /// Partition items × parent records, in an order that does not depend on how the parent's
    /// pages arrived: parent records by the values they resolve (as text), then partitions in
    /// their declared order. A parent record whose resolved field is null is skipped; a field
    /// that no parent record has at all is a mistake in the spec, and fails the resource.
    private func workItems(
        _ partitionItems: [WorkItem], parent: (name: String, rows: [[String: Value]])?,
        notes: inout [String]
    ) throws -> [WorkItem] {
        guard let parent else { return stampingUnits(partitionItems) }
        let resolves = resource.endpoint.params.compactMap { p -> (param: String, field: String)? in
            if case .resolve(_, let field) = p.value { return (p.name, field) } else { return nil }
        }
        for r in resolves where !parent.rows.isEmpty && !parent.rows.contains(where: { $0[r.field] != nil }) {
            throw ExtractError(
                .configuration, resource: resource.name,
                message: "parameter '\(r.param)' resolves from field '\(r.field)' of resource "
                    + "'\(parent.name)', but none of its \(parent.rows.count) record(s) has that field; "
                    + "check 'field' in the resolve")
        }
        var parents: [WorkItem] = []
        var missing = 0
        for row in parent.rows {
            var item = WorkItem()
            var complete = true
            for r in resolves {
                guard let v = row[r.field]?.textValue else { complete = false; break }
                item.placeholders[r.param] = v
                item.key += (item.key.isEmpty ? "" : ",") + "\(r.param)=\(v)"
            }
            guard complete else { missing += 1; continue }
            for field in resource.includeFromParent {
                item.extras.append(("_\(parent.name)_\(NameNormalizer.normalize(field))", row[field] ?? .null))
            }
            parents.append(item)
        }
        parents.sort { $0.key < $1.key }
        var items: [WorkItem] = []
        for item in parents {
            for p in partitionItems {
                var combined = item
                combined.placeholders.merge(p.placeholders) { a, _ in a }
                combined.extras += p.extras
                combined.key = [item.key, p.key].filter { !$0.isEmpty }.joined(separator: ",")
                items.append(combined)
            }
        }
        if missing > 0 { notes.append("\(missing) parent record(s) had a null value to resolve and were skipped") }
        return items
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
