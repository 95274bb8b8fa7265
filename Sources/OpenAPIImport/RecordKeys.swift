import OpenAPIKit

/// The primary key and incremental cursor fields of a record schema.
extension SchemaResolver {
    /// `id`; `<name>Id` / `<name>_id` for the resource's last word in the singular; else the one
    /// required field whose name ends in `Id`/`_id`. Strings as records: their `value` column.
    func primaryKey(_ record: JSONSchema?, resource: String, context: String) -> Guess<[String]>? {
        guard let resolved = resolve(record, context: context) else { return nil }
        switch resolved.value {
        case .string, .integer, .number:
            return Guess(["value"], .medium, "records are scalars: one row per value, column `value`")
        default: break
        }
        guard let properties = objectProperties(resolved, context: context) else { return nil }
        let names = properties.map(\.name)
        if names.contains("id") { return Guess(["id"], .high, "records have `id`") }
        let noun = NameStyle.singular(NameStyle.words(resource).last ?? resource)
        for candidate in [noun + "Id", noun + "_id", noun + "ID"] {
            if let name = names.first(where: { $0.lowercased() == candidate.lowercased() }) {
                return Guess([name], .high, "records have `\(name)`, the id named after `\(noun)`")
            }
        }
        let ids = properties.filter { $0.required && NameStyle.looksLikeId($0.name) }
        if ids.count == 1 {
            return Guess([ids[0].name], .medium, "the only required id-like field")
        }
        return nil
    }

    /// A date-time field of the record whose name says modified/updated (else created/time).
    func cursorField(_ record: JSONSchema?, context: String) -> String? {
        guard let properties = objectProperties(record, context: context) else { return nil }
        let dated = properties.filter { property in
            guard case .string(let core, _) = resolve(property.schema, context: context)?.value else { return false }
            return core.format == .dateTime || core.format == .date
                || NameStyle.words(property.name).contains { ["time", "timestamp", "at", "date"].contains($0) }
        }
        for hint in ["modified", "updated", "changed", "timestamp", "created", "time"] {
            if let hit = dated.first(where: { $0.name.lowercased().contains(hint) }) { return hit.name }
        }
        return nil
    }
}
