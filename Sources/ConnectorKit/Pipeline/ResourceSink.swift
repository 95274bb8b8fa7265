/// Receives one resource's pages: parses them, selects the records, normalizes them into
/// rows and hands row batches to the load session. It also keeps what the rest of the run
/// needs from the records: the highest incremental cursor per work item, and the fields that
/// child resources resolve from.
actor ResourceSink {
    let resource: ResourceSpec
    let session: any LoadSession
    let normalizer: RecordNormalizer
    private let parser = JSONParser()
    private let selectors: [(table: String, path: JSONPath?)]
    private let cursorPath: JSONPath?
    /// Fields child resources resolve from, with their parsed paths.
    private let parentFields: [(name: String, path: JSONPath)]
    private(set) var parentRows: [[String: Value]] = []
    private(set) var cursors: [String: String] = [:]
    private(set) var pages = 0
    private var buffered = 0
    private var schemaChanges: [String] = []
    static let flushRows = 20_000

    init(resource: ResourceSpec, session: any LoadSession, loadId: String, parentFields: [String], existing: [String: [Column]]) {
        self.resource = resource
        self.session = session
        normalizer = RecordNormalizer(loadId: loadId, maxNesting: resource.maxNesting, existing: existing, contract: resource.schemaContract)
        if resource.tables.isEmpty {
            selectors = [(resource.name, resource.endpoint.dataSelector.map(JSONPath.init))]
            normalizer.declareRoot(resource.name, primaryKey: resource.primaryKey, disposition: resource.writeDisposition, resource: resource.name)
        } else {
            selectors = resource.tables.map { ($0.name, JSONPath($0.dataSelector)) }
            for t in resource.tables {
                normalizer.declareRoot(t.name, primaryKey: t.primaryKey, disposition: resource.writeDisposition, resource: resource.name)
            }
        }
        cursorPath = resource.endpoint.incremental.map { JSONPath($0.cursorPath) }
        self.parentFields = parentFields.map { ($0, JSONPath($0)) }
    }

    /// Normalizes one page and advances `paginator` with it. Returns the records it held.
    func consume(_ response: HTTPResponse, item: WorkItem, paginator: any Paginator, url: String) async throws -> (records: Int, paginator: any Paginator) {
        var paginator = paginator
        pages += 1
        if response.body.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            paginator.update(response: response, document: nil, records: 0)
            return (0, paginator)
        }
        let document: JSONValue
        do {
            document = try parser.parse(response.body)
        } catch {
            let type = response.header("Content-Type") ?? "no Content-Type"
            throw ExtractError(.invalidResponse, resource: resource.name, url: url,
                               message: "the body is not JSON (\(type), \(response.body.count) bytes, \(error.message)): \(SourceClient.snippet(response.body))")
        }
        var count = 0
        for (table, path) in selectors {
            let selected = try select(document, path: path, table: table, url: url)
            switch selected.kind {
            case .array:
                for record in selected.elements {
                    try take(record, table: table, item: item)
                    count += 1
                }
            case .null:
                continue
            default:
                try take(selected, table: table, item: item)
                count += 1
            }
        }
        paginator.update(response: response, document: document, records: count)
        buffered += count
        if buffered >= Self.flushRows { try await flush() }
        return (count, paginator)
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
                if let v = field.path.evaluate(record) { row[field.name] = RecordNormalizer.scalar(v).1 }
            }
            parentRows.append(row)
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
            throw ExtractError(.invalidResponse, resource: resource.name, url: url,
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
    var progress: (pages: Int, rows: Int) { (pages, normalizer.rowCounts.values.reduce(0, +)) }

    /// Writes everything buffered to the load session.
    func flush() async throws {
        buffered = 0
        schemaChanges += normalizer.takeSchemaChanges()
        for batch in normalizer.takeBatches() { try await session.write(batch) }
    }

    func summary() -> (tables: [TableSchema], rows: [String: Int], schemaChanges: [String]) {
        var changes = schemaChanges + normalizer.takeSchemaChanges()
        if normalizer.discardedRecords > 0 {
            changes.append("schema_contract discard_row dropped \(normalizer.discardedRecords) record(s) that would have added columns")
        }
        return (normalizer.schemas, normalizer.rowCounts, changes)
    }
}

/// Orders cursor values: timestamps by time, numbers numerically, otherwise as text.
public enum CursorValue {
    public static func isGreater(_ a: String, than b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x > y }
        if RecordNormalizer.looksLikeTimestamp(a), RecordNormalizer.looksLikeTimestamp(b),
           let x = TimestampOrder.key(a), let y = TimestampOrder.key(b) { return x > y }
        return a > b
    }
}

import CivilTime

enum TimestampOrder {
    /// Seconds and the fractional digits, comparable across offsets.
    static func key(_ s: String) -> (Int, String)? {
        guard let seconds = Timestamps.parse(s) else { return nil }
        var fraction = ""
        if let dot = s.firstIndex(of: ".") { fraction = String(s[s.index(after: dot)...].prefix { $0.isNumber }) }
        return (seconds, fraction.padding(toLength: 9, withPad: "0", startingAt: 0))
    }
}

import Foundation
