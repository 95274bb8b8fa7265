/// Runs a resource's `processing_steps` on each record before anything else reads it: a
/// `filter` keeps the records its condition holds for (the others are counted, never lost
/// silently), a `map` rewrites the record's fields — the record is written back to JSON and
/// parsed again, so the rest of the pipeline sees an ordinary record.
final class RecordSteps {
    private let steps: [ProcessingStep]
    private let paths: [JSONPath?]
    /// Mapped records are parsed here; each stays valid until the next record is mapped.
    private let parser = JSONParser()
    /// Records a filter left out.
    private(set) var filtered = 0

    /// A record a step could not rewrite.
    struct Problem: Error {
        let message: String
    }

    init(_ steps: [ProcessingStep]) {
        self.steps = steps
        paths = steps.map { step -> JSONPath? in
            switch step {
            case .filter(let c): JSONPath(c.path)
            case .map(.copy(_, let from)), .map(.rename(let from, _)): JSONPath(from)
            case .map: nil
            }
        }
    }

    /// The record after every step, or nil when a filter left it out.
    func apply(_ record: JSONValue) throws(Problem) -> JSONValue? {
        guard !steps.isEmpty else { return record }
        var current = record
        for (step, path) in zip(steps, paths) {
            switch step {
            case .filter(let condition):
                guard let path, Self.holds(condition, at: path, in: current) else {
                    filtered += 1
                    return nil
                }
            case .map(let mapping):
                guard current.kind == .object else {
                    throw Problem(message: "processing_steps: a map step needs an object record, found \(current.kind)")
                }
                var tree = RecordTree(current)
                tree.apply(mapping, value: path.flatMap { $0.evaluate(current) }.map(\.jsonText))
                do {
                    current = try parser.parse(Array(tree.jsonText.utf8))
                } catch {
                    throw Problem(message: "processing_steps: a mapped record is not JSON: \(error.message)")
                }
            }
        }
        return current
    }

    /// What the run report says about records left out, if any.
    var notes: [String] { filtered > 0 ? ["\(filtered) record(s) filtered by processing_steps"] : [] }

    static func holds(_ condition: RecordCondition, at path: JSONPath, in record: JSONValue) -> Bool {
        let found = path.evaluate(record).flatMap { $0.kind == .null ? nil : $0 }
        let text = found?.scalarText
        switch condition.op {
        case .exists: return found != nil
        case .missing: return found == nil
        case .in: return text.map { t in condition.values.contains { order(t, $0) == 0 } } ?? false
        case .notIn: return text.map { t in !condition.values.contains { order(t, $0) == 0 } } ?? true
        case .ne: return text.map { order($0, condition.values[0]) != 0 } ?? true
        case .eq, .gt, .gte, .lt, .lte:
            guard let text, let value = condition.values.first else { return false }
            let o = order(text, value)
            switch condition.op {
            case .eq: return o == 0
            case .gt: return o > 0
            case .gte: return o >= 0
            case .lt: return o < 0
            default: return o <= 0
            }
        }
    }

    /// Numbers as numbers, ISO 8601 timestamps by instant, other text as text.
    private static func order(_ a: String, _ b: String) -> Int {
        if CursorValue.isGreater(a, than: b) { return 1 }
        return CursorValue.isGreater(b, than: a) ? -1 : 0
    }
}

/// A record's object levels as a mutable tree (other values kept as their JSON text), for map steps.
struct RecordTree {
    indirect enum Node {
        case object([(key: String, value: Node)])
        case raw(String)
    }

    private var root: [(key: String, value: Node)]

    init(_ record: JSONValue) {
        guard case .object(let members) = Self.node(record) else { root = []; return }
        root = members
    }

    private static func node(_ value: JSONValue) -> Node {
        guard value.kind == .object else { return .raw(value.jsonText) }
        return .object(value.members.map { (String(decoding: $0.key, as: UTF8.self), node($0.value)) })
    }

    /// `value`: the JSON text at the mapping's `from` path, when it has one.
    mutating func apply(_ mapping: RecordMapping, value: String?) {
        switch mapping {
        case .copy(let field, _): if let value { set(field, .raw(value)) }
        case .constant(let field, let literal): set(field, .raw(JSONText.quote(literal)))
        case .rename(let from, let to):
            Self.remove(JSONPath(from).steps[...], in: &root)
            if let value { set(to, .raw(value)) }
        case .drop(let paths):
            for p in paths { Self.remove(JSONPath(p).steps[...], in: &root) }
        }
    }

    private mutating func set(_ field: String, _ node: Node) {
        if let i = root.firstIndex(where: { $0.key == field }) {
            root[i].value = node
        } else {
            root.append((field, node))
        }
    }

    private static func remove(_ steps: ArraySlice<JSONPath.Step>, in members: inout [(key: String, value: Node)]) {
        guard case .key(let key)? = steps.first, let i = members.firstIndex(where: { $0.key == key }) else { return }
        if steps.count == 1 {
            members.remove(at: i)
        } else if case .object(var inner) = members[i].value {
            remove(steps.dropFirst(), in: &inner)
            members[i].value = .object(inner)
        }
    }

    var jsonText: String { Self.text(.object(root)) }

    private static func text(_ node: Node) -> String {
        switch node {
        case .raw(let json): return json
        case .object(let members):
            return "{" + members.map { JSONText.quote($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }
}
