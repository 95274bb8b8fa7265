import OpenAPIKit

/// Where the records of a response are and what one looks like, read from the response schema.
struct RecordShape {
    /// `$` for a root array, a dotted path, or several paths tried in order (`oneOf`).
    var selectors: [String]
    var record: JSONSchema?
    var guess: Guess<String>
    /// Names of fields of the response body (dotted), for paginators: totals, next links, flags.
    var envelope: [String: JSONSchema]

    var selectorText: String {
        selectors.count == 1 ? selectors[0] : "[" + selectors.joined(separator: ", ") + "]"
    }
}

extension SchemaResolver {
    static let preferredArrays = ["items", "data", "results", "records", "list", "values", "entries", "rows"]

    /// The record shape of a 2xx JSON response schema; nil when the schema says nothing usable.
    func recordShape(_ schema: JSONSchema?, context: String) -> RecordShape? {
        guard let schema = resolve(schema, context: context) else { return nil }
        if let parts = alternatives(schema, context: context) {
            let shapes = parts.compactMap { recordShape($0, context: context) }
            guard let first = shapes.first else { return nil }
            var selectors: [String] = []
            for shape in shapes { for s in shape.selectors where !selectors.contains(s) { selectors.append(s) } }
            let why = "oneOf/anyOf: \(shapes.count) alternatives, each path tried in order"
            return RecordShape(
                selectors: selectors, record: first.record, guess: Guess(selectors.joined(separator: ","), .medium, why),
                envelope: shapes.reduce(into: [:]) { $0.merge($1.envelope) { a, _ in a } })
        }
        if case .array(_, let array) = schema.value {
            return RecordShape(
                selectors: ["$"], record: array.items, guess: Guess("$", .high, "the response is a JSON array"),
                envelope: [:])
        }
        guard let properties = objectProperties(schema, context: context) else { return nil }
        return objectShape(properties, schema: schema, context: context)
    }

    private func objectShape(_ properties: [Property], schema: JSONSchema, context: String) -> RecordShape {
        let envelope = envelopeFields(properties, context: context)
        let arrays = properties.filter { isArray($0.schema, context: context) }
        if arrays.count == 1, let only = arrays.first {
            return RecordShape(
                selectors: [only.name], record: arrayItems(only.schema, context: context),
                guess: Guess(only.name, .high, "the only array property of the response"), envelope: envelope)
        }
        if arrays.count > 1 {
            let chosen = arrays.first { Self.preferredArrays.contains($0.name.lowercased()) } ?? arrays[0]
            let others = arrays.filter { $0.name != chosen.name }.map(\.name).joined(separator: ", ")
            return RecordShape(
                selectors: [chosen.name], record: arrayItems(chosen.schema, context: context),
                guess: Guess(chosen.name, .low, "one of several array properties (also: \(others))"),
                envelope: envelope)
        }
        let objects = properties.filter { objectProperties($0.schema, context: context) != nil }
        if properties.count == 1, let only = objects.first {
            return RecordShape(
                selectors: [only.name], record: only.schema,
                guess: Guess(only.name, .high, "the response wraps one object: one record"), envelope: envelope)
        }
        return RecordShape(
            selectors: ["$"], record: schema,
            guess: Guess("$", .medium, "an object without a list: the whole response is one record"),
            envelope: envelope)
    }

    func isArray(_ schema: JSONSchema, context: String) -> Bool {
        if case .array = resolve(schema, context: context)?.value { return true }
        return false
    }

    func arrayItems(_ schema: JSONSchema, context: String) -> JSONSchema? {
        if case .array(_, let array) = resolve(schema, context: context)?.value { return array.items }
        return nil
    }

    /// Scalar fields of the response body and of its objects one level down (`pagination.matched`).
    func envelopeFields(_ properties: [Property], context: String) -> [String: JSONSchema] {
        var fields: [String: JSONSchema] = [:]
        for property in properties {
            if let inner = objectProperties(property.schema, context: context), !isArray(property.schema, context: context) {
                for field in inner where !isArray(field.schema, context: context) {
                    fields[property.name + "." + field.name] = resolve(field.schema, context: context) ?? field.schema
                }
            } else if !isArray(property.schema, context: context) {
                fields[property.name] = resolve(property.schema, context: context) ?? property.schema
            }
        }
        return fields
    }
}
