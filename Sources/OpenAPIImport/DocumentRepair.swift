import OpenAPIKit
import Yams

/// Published documents are not always valid OpenAPI (one seen in the wild has `type: float`).
/// Rather than refuse the whole document, the part OpenAPIKit cannot read is left out and named in
/// a note, and decoding is tried again — a bounded number of times.
enum DocumentRepair {
    static let maxRepairs = 64

    static func decode<T: Decodable>(_ type: T.Type, _ raw: Node, notes: inout [String]) throws -> (T, Node) {
        let cleaned = withoutResponseExtensions(raw, at: "", notes: &notes)
        var current = inliningPathReferences(cleaned, root: cleaned, depth: 0, notes: &notes)
        var lastError: Error?
        for _ in 0..<maxRepairs {
            do {
                return (try YAMLDecoder().decode(T.self, from: current), current)
            } catch {
                lastError = error
                let described = OpenAPIKit.OpenAPI.Error(from: error)
                let path = described.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
                guard path.count >= 2, let repaired = current.removing(path[...]) else { throw error }
                current = repaired
                notes.append(
                    "\(path.joined(separator: ".")): left out, not valid OpenAPI (\(described.localizedDescription))")
            }
        }
        throw lastError ?? OpenAPIImportError(file: "", message: "too many invalid parts")
    }
}

extension DocumentRepair {
    /// `x-…` keys among a `responses` map's status codes (`x-export-results`, seen in the wild): OpenAPIKit
    /// reads every key there as a status, so they are left out, each with a note. Keys become plain.
    static func withoutResponseExtensions(_ node: Node, at path: String, notes: inout [String]) -> Node {
        switch node {
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                let name = key.string ?? ""
                if path.hasSuffix(".responses"), name.hasPrefix("x-") {
                    notes.append("\(path.dropFirst()).\(name): an extension among response codes, left out")
                    continue
                }
                // A quoted key ('200') is not found by Yams' decoder under the plain name: plain keys only.
                let plainKey = key.string.map { Node($0) } ?? key
                pairs.append((plainKey, withoutResponseExtensions(value, at: path + "." + name, notes: &notes)))
            }
            return Node(pairs, mapping.tag, mapping.style)
        case .sequence(let sequence):
            var items: [Node] = []
            for (i, item) in sequence.enumerated() {
                items.append(withoutResponseExtensions(item, at: path + ".\(i)", notes: &notes))
            }
            return Node(items, sequence.tag, sequence.style)
        default:
            return node
        }
    }
}

extension DocumentRepair {
    static let maxInlineDepth = 12

    /// `$ref`s to places outside `components` (`#/paths/~1export~1jobs/get/…`, as some documents
    /// write them) replaced by what they point at, since OpenAPIKit reads only component references.
    /// Chains and cycles stop at a depth, as an empty schema with a note; a dangling one stays (and
    /// is noted when inference meets it).
    static func inliningPathReferences(_ node: Node, root: Node, depth: Int, notes: inout [String]) -> Node {
        switch node {
        case .mapping(let mapping):
            if let pointer = mapping["$ref"]?.string, pointer.hasPrefix("#/"), !pointer.hasPrefix("#/components/") {
                guard let target = LoadedDocument.node(at: pointer, in: root) else { return node }
                guard depth < maxInlineDepth else {
                    notes.append("`$ref` \(pointer): nested deeper than \(maxInlineDepth) (a cycle?), read as any value")
                    return Node([(Node("description"), Node("unresolved cycle"))])
                }
                return inliningPathReferences(target, root: root, depth: depth + 1, notes: &notes)
            }
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                pairs.append((key, inliningPathReferences(value, root: root, depth: depth, notes: &notes)))
            }
            return Node(pairs, mapping.tag, mapping.style)
        case .sequence(let sequence):
            let items = sequence.map { inliningPathReferences($0, root: root, depth: depth, notes: &notes) }
            return Node(items, sequence.tag, sequence.style)
        default:
            return node
        }
    }
}

extension Node {
    /// This node without the member at `path` (a mapping key or a sequence index); nil when there is none.
    func removing(_ path: ArraySlice<String>) -> Node? {
        guard let key = path.first else { return nil }
        switch self {
        case .mapping(let mapping):
            guard let index = mapping.firstIndex(where: { $0.key.string == key }) else { return nil }
            var pairs = mapping.map { ($0.key, $0.value) }
            if path.count == 1 {
                pairs.remove(at: index)
            } else {
                guard let inner = pairs[index].1.removing(path.dropFirst()) else { return nil }
                pairs[index].1 = inner
            }
            return Node(pairs, mapping.tag, mapping.style)
        case .sequence(let sequence):
            var items = Array(sequence)
            guard let i = Int(key), items.indices.contains(i) else { return nil }
            if path.count == 1 {
                items.remove(at: i)
            } else {
                guard let inner = items[i].removing(path.dropFirst()) else { return nil }
                items[i] = inner
            }
            return Node(items, sequence.tag, sequence.style)
        default:
            return nil
        }
    }
}
