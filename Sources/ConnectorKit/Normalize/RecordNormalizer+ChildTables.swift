/// Child tables: one per list field, named after the parent table and the field's path.
extension RecordNormalizer {
    /// The child table for a list field; nil when a contract refuses a table the destination lacks.
    func childTable(of parent: TableBuilder, field: FieldNode) -> TableBuilder? {
        if let known = field.childTable { return known }
        let path = field.path
        if let known = parent.children[path] { field.childTable = known; return known }
        let suffix = path.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            .map { NameNormalizer.normalize(String($0)) }.joined(separator: "__")
        let name = parent.name + "__" + suffix
        if parent.existed && existing[name] == nil {
            switch contract {
            case .evolve: break
            case .freeze:
                parent.violation = "schema_contract freeze: new table \(name) is not in the destination"; return nil
            case .discard_row: parent.discardRow = true; return nil
            case .discard_value: return nil
            }
        }
        let schema = TableSchema(
            name: name, columns: [], parent: parent.name, root: parent.schema.root,
            primaryKey: [], disposition: parent.schema.disposition, resource: parent.schema.resource)
        let child = TableBuilder(
            schema: schema,
            systemColumns: [
                (SystemColumn.parentId, .text), (SystemColumn.listIndex, .bigint), (SystemColumn.rootId, .text),
                (SystemColumn.id, .text),
            ], existing: existing[name], contract: contract)
        parent.children[path] = child
        field.childTable = child
        order.append(child)
        return child
    }
}
