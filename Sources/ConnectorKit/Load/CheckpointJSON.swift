import Foundation

/// The checkpoint documents written with every staged batch (parent records, finished work
/// items), as JSON text written directly: Foundation's `JSONEncoder` costs about 25,000
/// instructions per parent record through `Codable`'s dynamic containers (2 % of a sandbox run).
/// The text is the same JSON the encoder writes, up to key order, and `CheckpointText` reads
/// it back with `JSONDecoder`; anything these do not cover is left to the encoder (nil).
enum CheckpointJSON {
    /// A parent record in `Value`'s tagged form (`{"id":{"i":1},"name":{"t":"a"},"gone":{}}`);
    /// nil when it holds a non-finite double, which the encoder refuses with an error.
    static func record(_ record: [String: Value]) -> String? {
        var out = "{"
        for (key, value) in record {
            if out.utf8.count > 1 { out += "," }
            out += JSONText.quote(key)
            switch value {
            case .null: out += ":{}"
            case .int(let i): out += ":{\"i\":" + String(i) + "}"
            case .double(let d):
                guard d.isFinite else { return nil }
                out += ":{\"d\":" + d.description + "}"
            case .bool(let b): out += b ? ":{\"b\":true}" : ":{\"b\":false}"
            case .text(let t): out += ":{\"t\":" + JSONText.quote(t) + "}"
            }
        }
        return out + "}"
    }

    /// A resource's counters and positions (`ProgressText.Counters`), written with every staged
    /// batch: through the encoder ~160,000 instructions each (15 M in a scale-5 run).
    static func counters(_ counters: ProgressText.Counters) -> String {
        var out = "{\"rows\":{"
        for (n, (table, rows)) in counters.rows.enumerated() {
            out += (n == 0 ? "" : ",") + JSONText.quote(table) + ":" + String(rows)
        }
        out += "},\"cursors\":{"
        for (n, (item, cursor)) in counters.cursors.enumerated() {
            out += (n == 0 ? "" : ",") + JSONText.quote(item) + ":" + JSONText.quote(cursor)
        }
        out += "},\"pages\":" + String(counters.pages) + ",\"sequence\":" + String(counters.sequence)
        return out + ",\"schemaChanges\":[" + counters.schemaChanges.map(JSONText.quote).joined(separator: ",") + "]}"
    }

    /// Table schemas as `JSONDecoder` reads `[TableSchema]` back (synthesized `Codable`, a nil
    /// `parent` left out). Written when a resource's schemas changed since its last checkpoint:
    /// through the encoder ~700,000 instructions each (8 M in a scale-5 run).
    static func tables(_ tables: [TableSchema]) -> String {
        var out = "["
        for (n, table) in tables.enumerated() {
            out += (n == 0 ? "{\"name\":" : ",{\"name\":") + JSONText.quote(table.name) + ",\"columns\":["
            for (k, column) in table.columns.enumerated() {
                out += (k == 0 ? "{\"name\":" : ",{\"name\":") + JSONText.quote(column.name)
                out += ",\"type\":" + JSONText.quote(column.type.rawValue) + "}"
            }
            out += "]"
            if let parent = table.parent { out += ",\"parent\":" + JSONText.quote(parent) }
            out += ",\"root\":" + JSONText.quote(table.root)
            out += ",\"primaryKey\":[" + table.primaryKey.map(JSONText.quote).joined(separator: ",") + "]"
            out += ",\"disposition\":" + JSONText.quote(table.disposition.rawValue)
            out += ",\"resource\":" + JSONText.quote(table.resource) + "}"
        }
        return out + "]"
    }

    /// A finished work item's document, written once by the encoder; nil for one still paging.
    static func item(_ progress: ItemProgress) -> String? {
        guard case .done = progress else { return nil }
        return done
    }

    private static let done: String? = (try? JSONEncoder().encode(ItemProgress.done)).map {
        String(decoding: $0, as: UTF8.self)
    }
}
