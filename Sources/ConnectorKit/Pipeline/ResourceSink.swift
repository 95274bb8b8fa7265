/// Receives one resource's pages: parses them, selects the records, normalizes them into
/// rows and hands row batches to the load session. It also keeps what the rest of the run
/// needs from the records: the highest incremental cursor per work item, the fields that
/// child resources resolve from, and where each work item stands — saved with the rows, so
/// that a run that dies can be resumed.
actor ResourceSink: PageConsumer {
    let resource: ResourceSpec
    let session: any LoadSession
    let normalizer: RecordNormalizer
    /// Page URLs are redacted only when an error shows them.
    let redactor: Redactor
    private let parser = JSONParser()
    private let selection: RecordSelection
    private var cursor: CursorTracker
    private let steps: RecordSteps
    private var parentKeys: ParentKeys
    private var flushPolicy = FlushPolicy()
    private var pending = PendingBatches()
    private(set) var pages = 0
    private var tally = RecordTally()
    /// A sample's page limit: no next page is asked for once the resource read this many.
    private let pageLimit: Int
    private var schemaChanges: [String] = []
    /// What an earlier, interrupted run of this load already staged.
    private let resumed: ResumedResource?
    /// Work items that moved since the last checkpoint.
    private var movedItems: [String: ItemProgress] = [:]
    /// The last write handed to the session: writes go in the order their checkpoints were taken.
    private var lastWrite: Task<Void, any Error>?
    /// Reads the API's totals for a `row_count_matches` check.
    private let totals: TotalCapture?
    /// Rows an interrupted run staged, for progress lines (asked once per page: no dictionaries).
    private let resumedRows: Int

    init(
        resource: ResourceSpec, session: any LoadSession, loadId: String, parentFields: [String],
        existing: [String: [Column]], redactor: Redactor, resumed: ResumedResource? = nil,
        totals: TotalCapture? = nil, pageLimit: Int? = nil
    ) {
        self.totals = totals
        self.pageLimit = pageLimit ?? .max
        self.resource = resource
        self.redactor = redactor
        self.session = session
        self.resumed = resumed
        resumedRows = resumed?.progress.rows.values.reduce(0, +) ?? 0
        normalizer = RecordNormalizer(
            loadId: loadId, maxNesting: resource.maxNesting,
            existing: existing.adding(resumed?.progress.tables ?? []),
            contract: resource.schemaContract)
        selection = RecordSelection(resource: resource)
        let primaryKeys = resource.tables.isEmpty ? [resource.primaryKey] : resource.tables.map(\.primaryKey)
        // A resource that is not selected only feeds its children: it declares no table.
        for ((table, _), primaryKey) in zip(selection.selectors, primaryKeys) where resource.selected {
            normalizer.declareRoot(
                table, primaryKey: primaryKey, disposition: resource.writeDisposition,
                resource: resource.name, columns: resource.columns, hints: resource.columnHints)
        }
        cursor = CursorTracker(resource: resource, resumed: resumed?.progress.cursors ?? [:])
        steps = RecordSteps(resource.processingSteps)
        parentKeys = ParentKeys(fields: parentFields, resumed: resumed?.parentRows ?? [])
        if let resumed {
            normalizer.sequence = resumed.progress.sequence
            pages = resumed.progress.pages
            normalizer.takeSchemaChanges()
            schemaChanges = resumed.progress.schemaChanges
        }
    }

    /// What the report says about records that were read but not loaded, by design.
    var leftOutNotes: [String] { steps.notes + cursor.notes }

    /// Greatest incremental cursor per work item.
    var cursors: [String: String] { cursor.cursors }
    /// What child resources resolve from, one row per parent record.
    var parentRows: [[String: Value]] { parentKeys.rows }

    /// The resource's work items in their order; rows of later items win merges.
    func setItemOrder(_ items: [WorkItem]) {
        pending.setOrder(items)
        tally.expect(items: items.count)
    }

    /// Where an interrupted run left a work item (nil: not started).
    func resumedProgress(of key: String) -> ItemProgress? { resumed?.items[key] }

    /// Marks a work item finished without a page (an ignored status).
    func finish(_ key: String) {
        movedItems[key] = .done
        tally.add(records: 0, item: key, announced: nil, last: true)
    }

    /// Normalizes one page of `request` and advances `paginator` with it. As soon as the
    /// following requests are known — before this page is normalized — `onNext` gets them
    /// (see `Paginator.lookahead`), so that they are under way meanwhile. Returns the records
    /// the page held and the next request, if any; the item's new position is saved with its rows.
    func consume(
        _ response: HTTPResponse, item: WorkItem, request: PageRequest, paginator: any Paginator,
        url unredacted: String, lookahead: Int = 1, onNext: @Sendable ([PageRequest]) -> Void = { _ in }
    )
        async throws -> (records: Int, paginator: any Paginator, next: PageRequest?)
    {
        var paginator = paginator
        pages += 1
        if response.body.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            paginator.update(response: response, document: nil, records: 0)
            return try await advance(item, request: request, paginator: paginator, records: 0)
        }
        let document = try parse(response, url: unredacted)
        totals?.observe(document, item: item.key)
        let (selections, count): ([(table: String, records: JSONValue)], Int)
        do {
            (selections, count) = try selection.select(document)
        } catch {
            throw ExtractError(
                .invalidResponse, resource: resource.name, url: redactor.redactURL(unredacted),
                message: error.message)
        }
        let last = selections.first.flatMap { RecordSelection.lastRecord(in: $0.records) }
        paginator.update(response: response, document: document, records: count, lastRecord: last)
        if paginator.hasNext && pages < pageLimit { onNext(paginator.lookahead(request, count: lookahead)) }
        for (table, selected) in selections {
            if selected.kind == .array {
                for record in selected.elements { try take(record, table: table, item: item) }
            } else {
                try take(selected, table: table, item: item)
            }
        }
        pending.add(from: normalizer, itemKey: item.key)
        flushPolicy.add(records: count, bytes: response.body.count)
        return try await advance(item, request: request, paginator: paginator, records: count)
    }

    private func parse(_ response: HTTPResponse, url unredacted: String) throws -> JSONValue {
        do {
            return try parser.parse(response.body)
        } catch {
            let type = response.header("Content-Type") ?? "no Content-Type"
            throw ExtractError(
                .invalidResponse, resource: resource.name, url: redactor.redactURL(unredacted),
                message: "the body is not JSON (\(type), \(response.body.count) bytes, "
                    + "\(error.message)): "
                    + SourceClient.snippet(response.body))
        }
    }

    private func advance(_ item: WorkItem, request: PageRequest, paginator: any Paginator, records: Int) async throws
        -> (records: Int, paginator: any Paginator, next: PageRequest?)
    {
        let next = paginator.hasNext && pages < pageLimit ? paginator.next(request) : nil
        tally.add(records: records, item: item.key, announced: paginator.announcedRecords, last: next == nil)
        movedItems[item.key] =
            next.map {
                .next(PageRequestRecord($0).redacted(by: redactor), paginator: paginator.saved)
            } ?? .done
        try await flushIfDue()
        return (records, paginator, next)
    }

    /// A due flush first waits for the write in flight, and pages finishing meanwhile wait with
    /// it: a resource holds at most the rows being written and one flush's worth more. (Each of
    /// its concurrent pages used to queue a flush of its own: five of ~42k rows at once at scale
    /// 100.) The first to wake starts the write of what all of them added; the others find
    /// nothing due. The page that started it goes on without waiting for the write (a database
    /// round trip per table: it held up one of the resource's concurrent requests the whole time);
    /// a write that fails fails the next flush.
    private func flushIfDue() async throws {
        guard flushPolicy.isDue() else { return }
        try await lastWrite?.value
        if flushPolicy.isDue() { startWrite() }
    }

    private func take(_ original: JSONValue, table: String, item: WorkItem) throws {
        let record: JSONValue
        do {
            guard let stepped = try steps.apply(original), try cursor.observe(stepped, item: item.key) else { return }
            record = stepped
        } catch let problem as RecordSteps.Problem {
            throw ExtractError(.invalidResponse, resource: resource.name, message: problem.message)
        } catch let problem as CursorTracker.Problem {
            throw ExtractError(.invalidResponse, resource: resource.name, message: problem.message)
        }
        parentKeys.take(record)
        guard resource.selected else { return }
        do {
            try normalizer.add(record, to: table, extras: item.extras)
        } catch {
            throw ExtractError(.invalidResponse, resource: resource.name, message: error.description)
        }
    }

    /// Pages read, rows produced and records read (of those announced) so far, for progress lines.
    func progress(elapsed: Double) -> ProgressFigures {
        ProgressFigures(
            pages: pages, rows: normalizer.totalRows + resumedRows, records: tally.records,
            expectedRecords: tally.expected, items: tally.items, itemsDone: tally.itemsDone, elapsed: elapsed)
    }

    /// Writes everything buffered to the load session, with the checkpoint it makes true. Flushes
    /// of several work items may overlap: each write waits for the one before (and fails with it),
    /// so that checkpoints are saved in order and a session never sees two writes at once.
    func flush() async throws {
        try await startWrite().value
    }

    /// Waits for the write in flight, whatever its outcome: a resource that failed must not leave a
    /// write running into the load's publish (a page does not wait for the write it starts).
    func settleWrites() async { _ = try? await lastWrite?.value }

    /// Hands everything buffered to the load session, after the write before it: the write, to
    /// wait for.
    @discardableResult
    private func startWrite() -> Task<Void, any Error> {
        flushPolicy.flushed()
        schemaChanges += normalizer.takeSchemaChanges()
        let checkpoint = Checkpoint(
            resource: resource.name,
            progress: ResourceProgress(
                tables: tables, rows: rowCounts, cursors: cursors,
                pages: pages, sequence: normalizer.sequence,
                schemaChanges: schemaChanges),
            items: movedItems, parentRows: parentKeys.takeUnsaved())
        movedItems.removeAll()
        let batches = pending.take()
        let (previous, session) = (lastWrite, session)
        let write = Task {
            try await previous?.value
            try await session.write(batches, checkpoint: checkpoint)
        }
        lastWrite = write
        return write
    }

    /// Every table the resource produced, including those only an interrupted run saw.
    private var tables: [TableSchema] {
        var out = normalizer.schemas
        for earlier in resumed?.progress.tables ?? [] {
            if let i = out.firstIndex(where: { $0.name == earlier.name }) {
                out[i].columns = out[i].columns.adding(earlier.columns)
            } else {
                out.append(earlier)
            }
        }
        return out
    }

    private var rowCounts: [String: Int] {
        normalizer.rowCounts.merging(resumed?.progress.rows ?? [:], uniquingKeysWith: +)
    }

    func summary() -> (tables: [TableSchema], rows: [String: Int], schemaChanges: [String]) {
        let counts = rowCounts
        // A table without rows is not created (e.g. a list field that is always empty): it is
        // not new until it has rows, or its message would repeat on every run.
        let uncreated = Set(counts.filter { $0.value == 0 }.keys.map { "new table \($0)" })
        var changes = (schemaChanges + normalizer.takeSchemaChanges()).filter { !uncreated.contains($0) }
        if normalizer.discardedRecords > 0 {
            changes.append(
                "schema_contract discard_row dropped \(normalizer.discardedRecords) record(s) "
                    + "that would have added columns")
        }
        return (tables, counts, changes)
    }
}
