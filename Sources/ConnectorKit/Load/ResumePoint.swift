import Foundation

/// What a resource has staged so far, summed up: enough to carry on normalizing, counting and
/// reporting as if the run had never stopped.
public struct ResourceProgress: Sendable, Codable {
    public var tables: [TableSchema]
    public var rows: [String: Int]
    public var cursors: [String: String]
    public var pages: Int
    /// Rows without a primary key numbered so far (their ids continue from here).
    public var sequence: Int
    public var schemaChanges: [String]

    public init(
        tables: [TableSchema] = [], rows: [String: Int] = [:], cursors: [String: String] = [:],
        pages: Int = 0, sequence: Int = 0, schemaChanges: [String] = []
    ) {
        self.tables = tables
        self.rows = rows
        self.cursors = cursors
        self.pages = pages
        self.sequence = sequence
        self.schemaChanges = schemaChanges
    }
}

/// Saved with a resource's staged rows, in the same transaction: its progress, the work items
/// that moved since the last checkpoint, and the records its children need that arrived since.
public struct Checkpoint: Sendable {
    public var resource: String
    public var progress: ResourceProgress
    public var items: [String: ItemProgress]
    public var parentRows: [[String: Value]]

    public init(
        resource: String, progress: ResourceProgress, items: [String: ItemProgress], parentRows: [[String: Value]]
    ) {
        self.resource = resource
        self.progress = progress
        self.items = items
        self.parentRows = parentRows
    }
}

/// The staged work of a load that did not finish (the process died), adopted by the next run
/// of the same pipeline with the same resources and options.
public struct ResumePoint: Sendable {
    public var loadId: String
    public var resources: [String: ResumedResource]

    public init(loadId: String, resources: [String: ResumedResource]) {
        self.loadId = loadId
        self.resources = resources
    }
}

/// One resource's share of a `ResumePoint`.
public struct ResumedResource: Sendable {
    public var progress: ResourceProgress
    public var items: [String: ItemProgress]
    public var parentRows: [[String: Value]]

    public init(progress: ResourceProgress, items: [String: ItemProgress], parentRows: [[String: Value]]) {
        self.progress = progress
        self.items = items
        self.parentRows = parentRows
    }
}

/// Checkpoints as JSON text, for destinations that keep them in tables next to the staged
/// rows: one progress document per resource, one per moved work item, one per parent record.
public enum CheckpointText {
    public static func encode(_ checkpoint: Checkpoint) throws -> (
        progress: String, items: [(key: String, json: String)], parentRows: [String]
    ) {
        let encoder = JSONEncoder()
        func text(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        return (
            ProgressText.encode(checkpoint.progress, of: checkpoint.resource),
            try checkpoint.items.map { ($0.key, try CheckpointJSON.item($0.value) ?? text($0.value)) },
            try checkpoint.parentRows.map { try CheckpointJSON.record($0) ?? text($0) }
        )
    }

    /// Rebuilds what was staged from the stored documents (parent rows in the order stored).
    public static func resumePoint(
        loadId: String, progress: [(resource: String, json: String)],
        items: [(resource: String, key: String, json: String)],
        parentRows: [(resource: String, json: String)]
    ) throws -> ResumePoint {
        let decoder = JSONDecoder()
        var resources: [String: ResumedResource] = [:]
        for p in progress {
            resources[p.resource] = ResumedResource(
                progress: try decoder.decode(ResourceProgress.self, from: Data(p.json.utf8)), items: [:], parentRows: []
            )
        }
        for i in items {
            resources[i.resource]?.items[i.key] = try decoder.decode(ItemProgress.self, from: Data(i.json.utf8))
        }
        for r in parentRows {
            resources[r.resource]?.parentRows.append(try decoder.decode([String: Value].self, from: Data(r.json.utf8)))
        }
        return ResumePoint(loadId: loadId, resources: resources)
    }

    /// Every table the staged resources wrote, with their columns.
    public static func stagedTables(_ point: ResumePoint) -> [String: [Column]] {
        [:].adding(point.resources.values.flatMap(\.progress.tables))
    }
}

extension WriteDisposition: Codable {}

/// Values are stored tagged, so that an integer stays an integer and `2.0` stays a double.
extension Value: Codable {
    private enum Key: String, CodingKey { case i, d, b, t }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let i = try c.decodeIfPresent(Int64.self, forKey: .i) {
            self = .int(i)
        } else if let d = try c.decodeIfPresent(Double.self, forKey: .d) {
            self = .double(d)
        } else if let b = try c.decodeIfPresent(Bool.self, forKey: .b) {
            self = .bool(b)
        } else if let t = try c.decodeIfPresent(String.self, forKey: .t) {
            self = .text(t)
        } else {
            self = .null
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .null: break
        case .int(let i): try c.encode(i, forKey: .i)
        case .double(let d): try c.encode(d, forKey: .d)
        case .bool(let b): try c.encode(b, forKey: .b)
        case .text(let t): try c.encode(t, forKey: .t)
        }
    }
}
