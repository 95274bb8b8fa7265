/// Which parts of a page are records, and of which table: one `data_selector` per table (a
/// resource with `tables:` has several), or, without a selector, the page's obvious list.
struct RecordSelection {
    let selectors: [(table: String, path: JSONPathChoice?)]

    /// A declared selector that the page does not have.
    struct Missing: Error {
        let message: String
    }

    init(resource: ResourceSpec) {
        if resource.tables.isEmpty {
            selectors = [(resource.name, resource.endpoint.dataSelector.map(JSONPathChoice.init))]
        } else {
            selectors = resource.tables.map { ($0.name, JSONPathChoice([$0.dataSelector])) }
        }
    }

    /// The selected value of each table (a list of records, one record, or null for none) and
    /// how many records they hold together.
    func select(_ document: JSONValue) throws(Missing)
        -> (selections: [(table: String, records: JSONValue)], count: Int)
    {
        var selections: [(table: String, records: JSONValue)] = []
        var count = 0
        for (table, path) in selectors {
            let selected = try Self.select(document, path: path, table: table)
            switch selected.kind {
            case .array: count += selected.count
            case .null: continue
            default: count += 1
            }
            selections.append((table, selected))
        }
        return (selections, count)
    }

    private static func select(_ document: JSONValue, path: JSONPathChoice?, table: String) throws(Missing)
        -> JSONValue
    {
        guard let path else { return autoSelect(document) }
        if let v = path.evaluate(document) { return v }
        let keys = document.kind == .object ? document.members.map { String(decoding: $0.key, as: UTF8.self) } : []
        throw Missing(
            message: "data_selector '\(path)' for table '\(table)' is not in the response"
                + (keys.isEmpty
                    ? " (the body is \(document.kind))"
                    : "; its top-level keys are: \(keys.joined(separator: ", "))"))
    }

    /// The last record of a selection (the list's last element, or the one record), for a
    /// paginator that reads its cursor there; nil when it holds none.
    static func lastRecord(in selected: JSONValue) -> JSONValue? {
        switch selected.kind {
        case .null: return nil
        case .array:
            var last: JSONValue?
            for element in selected.elements { last = element }
            return last
        default: return selected
        }
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
}
