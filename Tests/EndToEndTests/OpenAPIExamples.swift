import ConnectorKit
import Foundation
import Testing

/// Clari's own published OpenAPI documents (test data kept outside the repository, in
/// `../shared/openapi/`), and the response examples they carry, as JSON bodies.
enum OpenAPIExamples {
    static let revenueFile = "clari-revenue.openapi.yml"

    /// `CONNECTOR_OPENAPI_DIR` when set, else `shared/openapi` beside the repository or beside
    /// any folder above it; nil (and the tests that need it say SKIPPED) when there is none.
    static let directory: String? = {
        let files = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["CONNECTOR_OPENAPI_DIR"] {
            return files.fileExists(atPath: dir + "/" + revenueFile) ? dir : nil
        }
        var url = URL(fileURLWithPath: repositoryRoot)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let dir = url.appendingPathComponent("shared/openapi").path
            if files.fileExists(atPath: dir + "/" + revenueFile) { return dir }
        }
        return nil
    }()

    static let skipNote = Comment(
        rawValue: "⚠️  Clari's OpenAPI documents were not found (../shared/openapi/\(revenueFile) from the repository, "
            + "or CONNECTOR_OPENAPI_DIR): the tests that load the reference's own examples are SKIPPED.")

    /// Whether the documents are there; says loudly (once) when they are not.
    static let found: Bool = {
        if directory == nil { print(skipNote.rawValue) }
        return directory != nil
    }()

    /// The revenue API document, parsed.
    static func revenue() throws -> YAMLNode? {
        guard let directory else { return nil }
        let text = try String(contentsOfFile: directory + "/" + revenueFile, encoding: .utf8)
        return try YAMLDocument.parse(text, file: revenueFile)
    }

    struct Missing: Error, CustomStringConvertible {
        let path: [String]
        var description: String {
            path.isEmpty
                ? "no OpenAPI document" : "the OpenAPI document has nothing at \(path.joined(separator: " → "))"
        }
    }

    /// The node at a path of mapping keys.
    static func node(_ root: YAMLNode, _ path: [String]) throws -> YAMLNode {
        var current = root
        for (i, key) in path.enumerated() {
            guard case .mapping(let pairs, _) = current, let next = pairs.first(where: { $0.key == key })?.value else {
                throw Missing(path: Array(path.prefix(i + 1)))
            }
            current = next
        }
        return current
    }

    /// The example answer of an operation for a status: its `example`, or for an error whose
    /// schema gives only a property example (`{"error": "…"}`), that object.
    static func example(_ root: YAMLNode, path: String, status: String) throws -> YAMLNode {
        let content = try node(root, ["paths", path, "get", "responses", status, "content", "application/json"])
        if let example = try? node(content, ["example"]) { return example }
        let message = try node(content, ["schema", "properties", "error", "example"])
        return .mapping([(key: "error", keyLocation: message.location, value: message)], message.location)
    }

    /// A YAML value as JSON text: unquoted scalars that read as null, booleans or numbers are
    /// those; everything else is a string.
    static func json(_ node: YAMLNode) -> String {
        switch node {
        case .mapping(let pairs, _):
            return "{" + pairs.map { string($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        case .sequence(let items, _):
            return "[" + items.map(json).joined(separator: ",") + "]"
        case .scalar(let text, let quoted, _):
            if !quoted {
                if text == "null" || text == "~" { return "null" }
                if text == "true" || text == "false" || Int(text) != nil || Double(text) != nil { return text }
            }
            return string(text)
        }
    }

    private static func string(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])) ?? Data()
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
