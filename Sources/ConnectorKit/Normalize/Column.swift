/// A column of a loaded table.
public struct Column: Sendable, Equatable, Codable {
    public var name: String
    public var type: DataType
    public init(name: String, type: DataType) { self.name = name; self.type = type }
}

extension Array where Element == Column {
    /// These columns, then those of `more` whose names are not among them (a table's columns
    /// only grow).
    public func adding(_ more: [Column]) -> [Column] {
        let names = Set(map(\.name))
        return self + more.filter { !names.contains($0.name) }
    }
}

extension Dictionary where Key == String, Value == [Column] {
    /// Each table's columns (name → columns), grown by what `tables` add.
    public func adding(_ tables: [TableSchema]) -> [String: [Column]] {
        var out = self
        for table in tables { out[table.name] = (out[table.name] ?? []).adding(table.columns) }
        return out
    }
}

/// Bookkeeping columns every loaded row carries.
public enum SystemColumn {
    public static let id = "_connector_id"
    public static let loadId = "_connector_load_id"
    public static let parentId = "_connector_parent_id"
    public static let rootId = "_connector_root_id"
    public static let listIndex = "_connector_list_idx"
    /// The work-item key of a partitioned `replace` root's row: what a partial-scope run replaces.
    public static let unit = "_connector_unit"
}

/// What a table is for the loader: its columns so far, where it hangs, how it is written.
public struct TableSchema: Sendable, Codable, Equatable {
    public var name: String
    public var columns: [Column]
    /// The root table for child tables; nil for roots.
    public var parent: String?
    public var root: String
    /// Normalized primary-key columns (root tables).
    public var primaryKey: [String]
    public var disposition: WriteDisposition
    public var resource: String

    /// Public so that a destination package can build tables for its own tests.
    public init(
        name: String, columns: [Column], parent: String?, root: String, primaryKey: [String],
        disposition: WriteDisposition, resource: String
    ) {
        self.name = name
        self.columns = columns
        self.parent = parent
        self.root = root
        self.primaryKey = primaryKey
        self.disposition = disposition
        self.resource = resource
    }

    public var isRoot: Bool { parent == nil }
}
