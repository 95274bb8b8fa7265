/// What may happen when records bring columns or tables the destination does not have yet
/// (dlt's schema contracts).
public enum SchemaContract: String, Sendable, CaseIterable {
    /// Add them (the default).
    case evolve
    /// Fail the resource, naming the new column.
    case freeze
    /// Drop records that would add a column.
    case discard_row
    /// Keep the records, drop the values of new columns.
    case discard_value
}
