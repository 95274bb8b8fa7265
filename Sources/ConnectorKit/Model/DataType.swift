/// Column types the normalizer infers; destinations map them to their own.
///
/// `decimal` is an exact number kept as its text: JSON numbers that neither a 64-bit integer
/// nor a double holds (ids above 2^63, more digits than a double keeps, 1e400). Destinations
/// store it exactly (PostgreSQL `numeric`, SQLite text, files as a JSON string).
public enum DataType: String, Sendable, Codable, CaseIterable {
    case bigint, double, decimal, bool, text, timestamp, json

    /// Whether a value inferred as `other` can be stored in a column of this type without loss.
    func accepts(_ other: DataType) -> Bool {
        switch (self, other) {
        case _ where self == other: return true
        case (.double, .bigint): return true
        case (.decimal, .bigint), (.decimal, .double): return true
        case (.text, .timestamp): return true
        default: return false
        }
    }
}
