import ConnectorKit
import Foundation

/// PostgreSQL spelling of names and types.
enum PostgresSQL {
    /// PostgreSQL cuts identifiers at 63 bytes; longer ones keep a readable prefix and a hash
    /// so that two long names never collide.
    static func identifier(_ name: String) -> String {
        guard name.utf8.count > 63 else { return name }
        var prefix = ""
        for ch in name where (prefix + String(ch)).utf8.count <= 50 { prefix.append(ch) }
        return prefix + "_" + String(hash(name), radix: 16)
    }

    /// The name of a table's key index when it is built on the staged table and moved into the
    /// dataset with it (`PostgresKeyIndexes`). PostgreSQL's own choice would avoid clashes in the
    /// staging schema only, and it keeps just the first 40-odd bytes of the table's name, so the
    /// children of a long-named root would all move in under one name. This one hashes the whole
    /// name, under the prefix the connector keeps for its own relations.
    static func keyIndexName(_ table: String) -> String { "_connector_key_" + String(hash(table), radix: 16) }

    /// 48 bits of FNV-1a over the name's UTF-8.
    static func hash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h & 0xFFFF_FFFF_FFFF
    }

    /// A name between double quotes, its own double quotes doubled (`copyName` inside the quotes).
    static func quoted(_ name: String) -> String { "\"" + copyName(name) + "\"" }

    static func literal(_ text: String) -> String { "'" + doubling(UInt8(ascii: "'"), in: text) + "'" }

    /// `text` with each `quote` doubled. Most texts hold none and come back as they are, without
    /// Foundation's search (several microseconds a call, thousands of calls a load).
    static func doubling(_ quote: UInt8, in text: String) -> String {
        guard text.utf8.contains(quote) else { return text }
        let once = String(UnicodeScalar(quote))
        return text.replacingOccurrences(of: once, with: once + once)
    }

    /// Type of a column in the published tables.
    static func type(_ t: DataType) -> String {
        switch t {
        case .bigint: return "bigint"
        case .double: return "double precision"
        case .decimal: return "numeric"
        case .bool: return "boolean"
        case .text: return "text"
        case .timestamp: return "timestamptz"
        case .json: return "jsonb"
        }
    }

    /// Type of a column in staging, where timestamps, decimals and JSON stay text until published.
    static func stagingType(_ t: DataType) -> String {
        switch t {
        case .timestamp, .json, .decimal: return "text"
        default: return type(t)
        }
    }

    /// The staged column converted to the published type.
    static func cast(_ column: Column) -> String {
        switch column.type {
        case .timestamp: return "\(quoted(column.name))::timestamptz"
        case .json: return "\(quoted(column.name))::jsonb"
        case .decimal: return "\(quoted(column.name))::numeric"
        default: return quoted(column.name)
        }
    }
}
