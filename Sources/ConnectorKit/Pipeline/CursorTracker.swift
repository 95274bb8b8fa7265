/// The incremental cursor of each work item: the greatest value (`CursorValue` order) at the
/// resource's `cursor_path` among the records read so far, saved with every checkpoint and
/// published as the next run's starting point.
struct CursorTracker {
    /// Nil for a resource that is not incremental: nothing is tracked.
    let path: JSONPath?
    /// Work item key → greatest cursor seen.
    private(set) var cursors: [String: String]

    init(resource: ResourceSpec, resumed: [String: String] = [:]) {
        path = resource.endpoint.incremental.map { JSONPath($0.cursorPath) }
        cursors = resumed
    }

    /// Takes the record's cursor into account for its work item; a record without one changes nothing.
    mutating func observe(_ record: JSONValue, item key: String) {
        guard let path, let value = path.evaluate(record)?.scalarText else { return }
        if let current = cursors[key] {
            if CursorValue.isGreater(value, than: current) { cursors[key] = value }
        } else {
            cursors[key] = value
        }
    }
}
