import ConnectorKit

/// The one encoder of Singer messages (JSON lines: SCHEMA, RECORD, STATE), shared by the
/// Singer destination (connector feeding a target) and `connector tap` (connector as a tap),
/// so both speak exactly the same dialect. Each function returns one line without its newline.
public enum SingerMessages {
    /// `{"type":"SCHEMA","stream":…,"schema":…,"key_properties":[…]}` for one table.
    public static func schema(_ table: TableSchema, keyProperties: [String]) -> String {
        "{\"type\":\"SCHEMA\",\"stream\":\(JSONText.quote(table.name)),\"schema\":\(SingerSchema.object(table.columns)),"
            + "\"key_properties\":[\(keyProperties.map(JSONText.quote).joined(separator: ","))]}"
    }

    /// `{"type":"RECORD","stream":…,"record":{…}}` for one row; null cells are left out (every
    /// property of the schema allows null, so a target reads an absent one as null).
    public static func record(stream: String, columns: [Column], row: [Value]) -> String {
        var out = "{\"type\":\"RECORD\",\"stream\":\(JSONText.quote(stream)),\"record\":{"
        var first = true
        for (index, column) in columns.enumerated() where index < row.count && row[index] != .null {
            if !first { out += "," }
            first = false
            out += JSONText.quote(column.name) + ":" + value(row[index], type: column.type)
        }
        return out + "}}"
    }

    /// `{"type":"STATE","value":…}`; `value` is JSON text (see `SingerState`).
    public static func state(_ value: String) -> String {
        "{\"type\":\"STATE\",\"value\":\(value)}"
    }

    /// A cell as JSON. `decimal` and `json` cells hold JSON text already (an exact number, an
    /// object or a list) and go as they are, so a target sees a number or a structure, not a string.
    static func value(_ cell: Value, type: DataType) -> String {
        if case .text(let text) = cell, type == .decimal || type == .json { return text }
        return JSONText.value(cell)
    }

    /// The `key_properties` of a table: the primary key of a root table (none: the target
    /// appends); for a child table its own `_connector_id`, derived from its parent's and its
    /// place in the list, so a target that upserts replaces a child row instead of adding it twice.
    public static func keyProperties(_ table: TableSchema) -> [String] {
        if table.isRoot { return table.primaryKey }
        return table.columns.contains(where: { $0.name == SystemColumn.id }) ? [SystemColumn.id] : []
    }
}

/// Column types → JSON Schema, as Singer targets read it. Every property allows null: a column
/// is nullable until a row says otherwise, and rows may be shorter than the table's columns.
public enum SingerSchema {
    /// The JSON Schema of one column.
    public static func property(_ type: DataType) -> String {
        switch type {
        case .bigint: return #"{"type":["null","integer"]}"#
        case .double, .decimal: return #"{"type":["null","number"]}"#
        case .bool: return #"{"type":["null","boolean"]}"#
        case .text: return #"{"type":["null","string"]}"#
        case .timestamp: return #"{"type":["null","string"],"format":"date-time"}"#
        case .json: return #"{"type":["null","object","array"]}"#
        }
    }

    /// `{"type":"object","properties":{…}}` for a table's columns, in their order.
    public static func object(_ columns: [Column]) -> String {
        let properties = columns.map { JSONText.quote($0.name) + ":" + property($0.type) }
        return "{\"type\":\"object\",\"properties\":{\(properties.joined(separator: ","))}}"
    }
}
