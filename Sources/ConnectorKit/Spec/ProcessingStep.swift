/// One step of a resource's `processing_steps`, applied in order to every record before the
/// incremental cursor, child parameters and normalization see it. Declarative on purpose: a
/// step names paths, operators and values; nothing in a spec is ever run as code.
public enum ProcessingStep: Sendable {
    /// Keeps the records the condition holds for; the others are left out and counted.
    case filter(RecordCondition)
    /// Changes the shape of every record.
    case map(RecordMapping)
}

/// `{path, op, value}`: the value at a dotted path compared with a literal. Numbers compare
/// as numbers and ISO 8601 timestamps by instant; a missing (or null) value satisfies only
/// `ne`, `not_in` and `missing`.
public struct RecordCondition: Sendable {
    public enum Operator: String, Sendable, CaseIterable {
        case eq, ne, gt, gte, lt, lte
        case `in`, notIn = "not_in", exists, missing
    }

    public var path: String
    public var op: Operator
    /// The literal(s) compared with; empty for `exists` / `missing`.
    public var values: [String]
}

/// One change to a record's fields.
public enum RecordMapping: Sendable {
    /// `set: {field, from}` copies the value at a path into a top-level field;
    /// `set: {field, value}` writes a literal string there.
    case copy(field: String, from: String)
    case constant(field: String, value: String)
    /// `rename: {from, to}` moves the value at a path to a top-level field.
    case rename(from: String, to: String)
    /// `drop: [paths]` removes fields.
    case drop([String])
}

extension ProcessingStep {
    /// The keys of one entry of `processing_steps` (exactly one of them).
    static let keys = ["filter", "map"]
    static let filterKeys = ["path", "op", "value"]
    static let mapKeys = ["set", "rename", "drop"]
    static let setKeys = ["field", "from", "value"]
    static let renameKeys = ["from", "to"]

    /// `processing_steps: [- filter: {...}, - map: {...}]`.
    static func readList(_ node: YAMLNode, reader: MappingReader) throws(SpecError) -> [ProcessingStep] {
        guard case .sequence(let items, _) = node else {
            throw SpecError(
                "'processing_steps' in \(reader.context) must be a list, found \(node.kindName)", at: node.location)
        }
        var steps: [ProcessingStep] = []
        for item in items {
            var r = try reader.reader(item, context: "a processing step", keys: keys)
            let filter = try r.mapping("filter", keys: filterKeys)
            let map = try r.mapping("map", keys: mapKeys)
            try r.finish()
            switch (filter, map) {
            case (let f?, nil): steps.append(.filter(try readCondition(f)))
            case (nil, let m?): steps.append(.map(try readMapping(m)))
            default:
                throw SpecError("a processing step is one of: filter, map (exactly one per list item)", at: r.location)
            }
        }
        return steps
    }

    private static func readCondition(_ reader: MappingReader) throws(SpecError) -> RecordCondition {
        var r = reader
        let path = try r.requiredString("path").value
        let op = try r.choice("op", RecordCondition.Operator.self) ?? .eq
        // One literal is taken whole (commas included); a YAML list gives several.
        var values: [String] = []
        if let node = r.take("value") {
            if case .sequence = node {
                values = try r.stringList(node, "'value' of a filter").map(\.value)
            } else {
                values = [try r.string(node, "'value' of a filter").value]
            }
        }
        try r.finish()
        switch op {
        case .exists, .missing:
            guard values.isEmpty else { throw SpecError("filter op '\(op)' takes no 'value'", at: r.location) }
        case .in, .notIn:
            guard !values.isEmpty else { throw SpecError("filter op '\(op)' needs a 'value' list", at: r.location) }
        default:
            guard values.count == 1 else { throw SpecError("filter op '\(op)' needs one 'value'", at: r.location) }
        }
        return RecordCondition(path: path, op: op, values: values)
    }

    private static func readMapping(_ reader: MappingReader) throws(SpecError) -> RecordMapping {
        var r = reader
        let set = try r.mapping("set", keys: setKeys)
        let rename = try r.mapping("rename", keys: renameKeys)
        let drop = try r.stringList("drop")
        try r.finish()
        if var s = set, rename == nil, drop == nil {
            let field = try topLevel(try s.requiredString("field"))
            let from = try s.string("from")?.value
            let value = try s.string("value")?.value
            try s.finish()
            switch (from, value) {
            case (let f?, nil): return .copy(field: field, from: f)
            case (nil, let v?): return .constant(field: field, value: v)
            default: throw SpecError("'set' needs one of 'from' (a path) or 'value' (a literal)", at: s.location)
            }
        }
        if var n = rename, set == nil, drop == nil {
            let mapping = RecordMapping.rename(
                from: try n.requiredString("from").value, to: try topLevel(try n.requiredString("to")))
            try n.finish()
            return mapping
        }
        if let d = drop, set == nil, rename == nil { return .drop(d.map(\.value)) }
        throw SpecError("a map step is one of: set, rename, drop (exactly one per step)", at: r.location)
    }

    /// A field a map writes is a top-level field name (no dots).
    private static func topLevel(_ name: ConfigString) throws(SpecError) -> String {
        guard !name.value.isEmpty, !name.value.contains(".") else {
            throw SpecError(
                "a map writes a top-level field: '\(name.value)' must be a name without dots", at: name.location)
        }
        return name.value
    }
}
