/// Receives one resource's pages: parses them, selects the records, normalizes them into
/// rows and hands row batches to the load session. It also keeps what the rest of the run
/// needs from the records: the highest incremental cursor per work item, the fields that
/// child resources resolve from, and where each work item stands — saved with the rows, so
/// that a run that dies can be resumed.
actor ResourceSink {
    let resource: ResourceSpec
    let session: any LoadSession
    let normalizer: RecordNormalizer
    /// Page URLs are redacted only when an error shows them.
    let redactor: Redactor
    private let parser = JSONParser()
    private let selectors: [(table: String, path: JSONPath?)]
    private let cursorPath: JSONPath?
    /// Fields child resources resolve from, with their parsed paths.
    private let parentFields: [(name: String, path: JSONPath)]
    private(set) var parentRows: [[String: Value]] = []
    private(set) var cursors: [String: String] = [:]
    private(set) var pages = 0
    private var buffered = 0
    /// JSON bytes behind the buffered rows: wide records (transcripts) weigh more than rows say.
    private var bufferedBytes = 0
    private var schemaChanges: [String] = []
    /// What an earlier, interrupted run of this load already staged.
    private let resumed: ResumedResource?
    /// Work items that moved since the last checkpoint.
    private var movedItems: [String: ItemProgress] = [:]
    /// Parent rows since the last checkpoint.
    private var unsavedParentRows = 0
    /// Each work item's place in the resource's order, which decides merges (see `StagedBatch`).
    private var itemOrder: [String: Int] = [:]
    /// Normalized rows awaiting the next flush: one batch per table and work item.
    private var pending: [StagedBatch] = []
    private var pendingIndex: [String: Int] = [:]
    /// The last write handed to the session: writes go in the order their checkpoints were taken.
    private var lastWrite: Task<Void, any Error>?
    private var lastFlush = ContinuousClock.now
    static let flushRows = 20_000
    static let flushBytes = 4 << 20
    /// A slow API still gets its progress saved this often.
    static let flushInterval = Duration.seconds(1)

    init(resource: ResourceSpec, session: any LoadSession, loadId: String, parentFields: [String], existing: [String: [Column]],
         redactor: Redactor, resumed: ResumedResource? = nil) {
        self.resource = resource
        self.redactor = redactor
        self.session = session
        self.resumed = resumed
        normalizer = RecordNormalizer(loadId: loadId, maxNesting: resource.maxNesting, existing: existing.adding(resumed?.progress.tables ?? []),
                                      contract: resource.schemaContract)
        if resource.tables.isEmpty {
            selectors = [(resource.name, resource.endpoint.dataSelector.map(JSONPath.init))]
            normalizer.declareRoot(resource.name, primaryKey: resource.primaryKey, disposition: resource.writeDisposition,
                                   resource: resource.name, columns: resource.columns)
        } else {
            selectors = resource.tables.map { ($0.name, JSONPath($0.dataSelector)) }
            for t in resource.tables {
                normalizer.declareRoot(t.name, primaryKey: t.primaryKey, disposition: resource.writeDisposition,
                                       resource: resource.name, columns: resource.columns)
            }
        }
        cursorPath = resource.endpoint.incremental.map { JSONPath($0.cursorPath) }
        self.parentFields = parentFields.map { ($0, JSONPath($0)) }
        if let resumed {
            normalizer.sequence = resumed.progress.sequence
            cursors = resumed.progress.cursors
            pages = resumed.progress.pages
            parentRows = resumed.parentRows
            normalizer.takeSchemaChanges()
            schemaChanges = resumed.progress.schemaChanges
        }
    }

    /// The resource's work items in their order; rows of later items win merges.
    func setItemOrder(_ items: [WorkItem]) {
        for (i, item) in items.enumerated() where itemOrder[item.key] == nil { itemOrder[item.key] = i }
    }

    /// Where an interrupted run left a work item (nil: not started).
    func resumedProgress(of key: String) -> ItemProgress? { resumed?.items[key] }

    /// Marks a work item finished without a page (an ignored status).
    func finish(_ key: String) { movedItems[key] = .done }

    /// Normalizes one page of `request` and advances `paginator` with it. As soon as the
    /// following requests are known — before this page is normalized — `onNext` gets them
    /// (see `Paginator.lookahead`), so that they are under way meanwhile. Returns the records
    /// the page held and the next request, if any; the item's new position is saved with its rows.
    func consume(_ response: HTTPResponse, item: WorkItem, request: PageRequest, paginator: any Paginator, url unredacted: String,
                 lookahead: Int = 1, onNext: @Sendable ([PageRequest]) -> Void = { _ in }) async throws
        -> (records: Int, paginator: any Paginator, next: PageRequest?) {
        var paginator = paginator
        pages += 1
        if response.body.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            paginator.update(response: response, document: nil, records: 0)
            return try await advance(item, request: request, paginator: paginator, records: 0)
        }
        let document: JSONValue
        do {
            document = try parser.parse(response.body)
        } catch {
            let type = response.header("Content-Type") ?? "no Content-Type"
            throw ExtractError(.invalidResponse, resource: resource.name, url: redactor.redactURL(unredacted),
                               message: "the body is not JSON (\(type), \(response.body.count) bytes, \(error.message)): \(SourceClient.snippet(response.body))")
        }
        var selections: [(table: String, records: JSONValue)] = []
        var count = 0
        for (table, path) in selectors {
            let selected = try select(document, path: path, table: table, url: unredacted)
            switch selected.kind {
            case .array: count += selected.count
            case .null: continue
            default: count += 1
            }
            selections.append((table, selected))
        }
        paginator.update(response: response, document: document, records: count)
        if paginator.hasNext { onNext(paginator.lookahead(request, count: lookahead)) }
        for (table, selected) in selections {
            if selected.kind == .array {
                for record in selected.elements { try take(record, table: table, item: item) }
            } else {
                try take(selected, table: table, item: item)
            }
        }
        takeRows(of: item)
        buffered += count
        bufferedBytes += response.body.count
        return try await advance(item, request: request, paginator: paginator, records: count)
    }

    private func advance(_ item: WorkItem, request: PageRequest, paginator: any Paginator, records: Int) async throws
        -> (records: Int, paginator: any Paginator, next: PageRequest?) {
        let next = paginator.hasNext ? paginator.next(request) : nil
        movedItems[item.key] = next.map { .next(PageRequestRecord($0).redacted(by: redactor), paginator: paginator.saved) } ?? .done
        if buffered >= Self.flushRows || bufferedBytes >= Self.flushBytes || ContinuousClock.now - lastFlush >= Self.flushInterval {
            try await flush()
        }
        return (records, paginator, next)
    }

    /// Moves the rows normalized from one page of `item` to the pending batches, with the item's order.
    private func takeRows(of item: WorkItem) {
        let order = itemOrder[item.key] ?? 0
        for batch in normalizer.takeBatches() {
            let key = "\(order)/\(batch.table.name)"
            if let i = pendingIndex[key] {
                // Columns are only ever appended: the newer schema describes the older rows too.
                pending[i].rows.rows += batch.rows
                pending[i].rows.table = batch.table
            } else {
                pendingIndex[key] = pending.count
                pending.append(StagedBatch(batch, itemOrder: order))
            }
        }
    }

    private func take(_ record: JSONValue, table: String, item: WorkItem) throws {
        if let cursorPath, let value = cursorPath.evaluate(record)?.scalarText {
            if let current = cursors[item.key] {
                if CursorValue.isGreater(value, than: current) { cursors[item.key] = value }
            } else {
                cursors[item.key] = value
            }
        }
        if !parentFields.isEmpty, record.kind == .object {
            var row: [String: Value] = [:]
            for field in parentFields {
                // A null stays null (not the text "null"), so that no child request is made for it.
                if let v = field.path.evaluate(record) { row[field.name] = v.kind == .null ? .null : RecordNormalizer.scalar(v).1 }
            }
            parentRows.append(row)
            unsavedParentRows += 1
        }
        do {
            try normalizer.add(record, to: table, extras: item.extras)
        } catch {
            throw ExtractError(.invalidResponse, resource: resource.name, message: error.description)
        }
    }

    private func select(_ document: JSONValue, path: JSONPath?, table: String, url: String) throws -> JSONValue {
        if let path {
            if let v = path.evaluate(document) { return v }
            let keys = document.kind == .object ? document.members.map { String(decoding: $0.key, as: UTF8.self) } : []
            throw ExtractError(.invalidResponse, resource: resource.name, url: redactor.redactURL(url),
                               message: "data_selector '\(path)' for table '\(table)' is not in the response" +
                                   (keys.isEmpty ? " (the body is \(document.kind))" : "; its top-level keys are: \(keys.joined(separator: ", "))"))
        }
        return Self.autoSelect(document)
    }

    /// Without a selector: the document if it is a list, else its first list member (preferring
    /// the usual names), else the object itself as one record.
    static func autoSelect(_ document: JSONValue) -> JSONValue {
        guard document.kind == .object else { return document }
        for name in ["data", "items", "results", "records", "entries"] {
            if let v = document[name], v.kind == .array { return v }
        }
        for member in document.members where member.value.kind == .array { return member.value }
        return document
    }

    /// Pages read and rows produced so far, for progress lines.
    var progress: (pages: Int, rows: Int) { (pages, rowCounts.values.reduce(0, +)) }

    /// Writes everything buffered to the load session, with the checkpoint it makes true. Flushes
    /// of several work items may overlap: each write waits for the one before (and fails with it),
    /// so that checkpoints are saved in order and a session never sees two writes at once.
    func flush() async throws {
        buffered = 0
        bufferedBytes = 0
        lastFlush = .now
        schemaChanges += normalizer.takeSchemaChanges()
        let checkpoint = Checkpoint(resource: resource.name,
                                    progress: ResourceProgress(tables: tables, rows: rowCounts, cursors: cursors, pages: pages,
                                                               sequence: normalizer.sequence, schemaChanges: schemaChanges),
                                    items: movedItems, parentRows: Array(parentRows.suffix(unsavedParentRows)))
        movedItems.removeAll()
        unsavedParentRows = 0
        let batches = pending
        pending.removeAll()
        pendingIndex.removeAll()
        let (previous, session) = (lastWrite, session)
        let write = Task {
            try await previous?.value
            try await session.write(batches, checkpoint: checkpoint)
        }
        lastWrite = write
        try await write.value
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
            changes.append("schema_contract discard_row dropped \(normalizer.discardedRecords) record(s) that would have added columns")
        }
        return (tables, counts, changes)
    }
}
