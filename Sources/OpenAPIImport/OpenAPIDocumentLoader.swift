import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat
import Yams

/// Why a document could not be read at all (everything less is a note on the draft).
public struct OpenAPIImportError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

/// An OpenAPI 3.0 or 3.1 document parsed by OpenAPIKit (3.0 converted to the 3.1 model so that
/// inference has one model), with its raw YAML tree kept for `$ref`s that point outside `components`.
struct LoadedDocument {
    let document: OpenAPIKit.OpenAPI.Document
    let raw: Node
    let version: String
    let file: String
    /// Parts left out because OpenAPIKit could not read them.
    var notes: [String] = []

    static func load(_ text: String, file: String) throws(OpenAPIImportError) -> LoadedDocument {
        let raw: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw OpenAPIImportError(file: file, message: "the document is empty")
            }
            raw = node
        } catch let error as OpenAPIImportError {
            throw error
        } catch {
            throw OpenAPIImportError(file: file, message: "not YAML or JSON: \(error)")
        }
        guard let version = raw.mappingValue("openapi")?.string else {
            let swagger = raw.mappingValue("swagger") != nil
            throw OpenAPIImportError(
                file: file,
                message: swagger
                    ? "Swagger 2.0 is not supported: convert it to OpenAPI 3 first"
                    : "no `openapi:` version: not an OpenAPI 3.0 or 3.1 document")
        }
        var notes: [String] = []
        do {
            if version.hasPrefix("3.0") {
                let (old, repaired) = try DocumentRepair.decode(OpenAPIKit30.OpenAPI.Document.self, raw, notes: &notes)
                return LoadedDocument(
                    document: old.convert(to: .v3_1_0), raw: repaired, version: version, file: file, notes: notes)
            }
            if version.hasPrefix("3.1") {
                let (document, repaired) = try DocumentRepair.decode(OpenAPIKit.OpenAPI.Document.self, raw, notes: &notes)
                return LoadedDocument(document: document, raw: repaired, version: version, file: file, notes: notes)
            }
        } catch {
            throw OpenAPIImportError(file: file, message: "not a valid OpenAPI \(version) document: \(describe(error))")
        }
        throw OpenAPIImportError(file: file, message: "OpenAPI \(version) is not supported (3.0 and 3.1 are)")
    }

    /// OpenAPIKit's errors say where; keep them short.
    static func describe(_ error: Error) -> String {
        String(OpenAPIKit.OpenAPI.Error(from: error).localizedDescription.prefix(400))
    }

    /// The raw node a local JSON pointer (`#/paths/~1a/get/…`) names, or nil.
    func node(at pointer: String) -> Node? { Self.node(at: pointer, in: raw) }

    static func node(at pointer: String, in raw: Node) -> Node? {
        guard pointer.hasPrefix("#") else { return nil }
        var current = raw
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = String(token).removingPercentEncodingSafely
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let next = current.mappingValue(key) {
                current = next
            } else if case .sequence(let items) = current, let index = Int(key), items.indices.contains(index) {
                current = items[index]
            } else {
                return nil
            }
        }
        return current
    }
}

extension Node {
    /// The value under a key whose scalar text is `key` (so `200:` matches "200" whatever its tag).
    func mappingValue(_ key: String) -> Node? {
        guard case .mapping(let pairs) = self else { return nil }
        return pairs.first(where: { $0.key.string == key })?.value
    }
}

extension String {
    var removingPercentEncodingSafely: String { removingPercentEncoding ?? self }
}
