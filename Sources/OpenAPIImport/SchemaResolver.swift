import OpenAPIKit
import Yams

/// Follows `$ref`s in schemas: `#/components/…` through OpenAPIKit's components, any other local
/// pointer (`#/paths/…`, as some published documents use) through the raw tree. What cannot be followed
/// becomes a note, never a crash; cycles and long chains stop after a few hops.
final class SchemaResolver {
    let loaded: LoadedDocument
    private(set) var notes: [String] = []
    private var noted: Set<String> = []
    private var cache: [String: JSONSchema] = [:]
    static let maxHops = 8

    init(_ loaded: LoadedDocument) { self.loaded = loaded }

    func note(_ text: String) {
        if noted.insert(text).inserted { notes.append(text) }
    }

    /// The schema itself once its references are followed; nil (with a note) when one is broken.
    func resolve(_ schema: JSONSchema?, context: String) -> JSONSchema? {
        var current = schema
        for _ in 0..<Self.maxHops {
            guard let schema = current else { return nil }
            guard case .reference(let reference, _) = schema.value else { return schema }
            current = lookup(reference.absoluteString, context: context)
            if current == nil { return nil }
        }
        note("\(context): `$ref` chain longer than \(Self.maxHops) hops (a cycle?): not followed")
        return nil
    }

    private func lookup(_ pointer: String, context: String) -> JSONSchema? {
        if let cached = cache[pointer] { return cached }
        let prefix = "#/components/schemas/"
        if pointer.hasPrefix(prefix), let key = OpenAPI.ComponentKey(rawValue: String(pointer.dropFirst(prefix.count))),
            let found = loaded.document.components.schemas[key]
        {
            cache[pointer] = found
            return found
        }
        guard let node = loaded.node(at: pointer) else {
            note("\(context): unresolved `$ref` \(pointer) (not in this document; external references are not read)")
            return nil
        }
        do {
            let schema = try YAMLDecoder().decode(JSONSchema.self, from: node)
            cache[pointer] = schema
            return schema
        } catch {
            note("\(context): `$ref` \(pointer) is not a schema OpenAPIKit reads: \(error)".prefix(300).description)
            return nil
        }
    }

    /// Properties of an object schema, `allOf` parts merged in order; required names with them.
    func objectProperties(_ schema: JSONSchema?, context: String, depth: Int = 0) -> [Property]? {
        guard depth < Self.maxHops, let schema = resolve(schema, context: context) else { return nil }
        switch schema.value {
        case .object(_, let object):
            let required = Set(object.requiredProperties)
            return object.properties.map { Property(name: $0.key, schema: $0.value, required: required.contains($0.key)) }
        case .all(let parts, _):
            let merged = parts.compactMap { objectProperties($0, context: context, depth: depth + 1) }
            return merged.isEmpty ? nil : merged.flatMap { $0 }
        default:
            return nil
        }
    }

    /// The alternatives of a `oneOf`/`anyOf` (after references), or nil when the schema is not one.
    func alternatives(_ schema: JSONSchema?, context: String) -> [JSONSchema]? {
        guard let schema = resolve(schema, context: context) else { return nil }
        switch schema.value {
        case .one(let parts, _), .any(let parts, _): return parts
        default: return nil
        }
    }
}

/// A named property of an object schema.
struct Property {
    let name: String
    let schema: JSONSchema
    let required: Bool
}
