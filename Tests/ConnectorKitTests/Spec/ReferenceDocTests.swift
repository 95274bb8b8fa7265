@testable import ConnectorKit
import Foundation
import Testing

/// The reference in `docs/reference.md` must name every key and every choice the spec reader
/// accepts: the readers are scanned for the keys they take, so a key added without its
/// documentation fails here.
@Suite("docs/reference.md covers the spec reader")
struct ReferenceDocTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// Every identifier written inside a `code span` of the reference.
    static let documented: Set<String> = {
        let text = (try? String(contentsOf: root.appendingPathComponent("docs/reference.md"), encoding: .utf8)) ?? ""
        var words = Set<String>()
        for (i, span) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
            for word in span.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                words.insert(String(word))
            }
        }
        return words
    }()

    /// Keys the readers take: `take("key")`, `string("key")`, `int("key", …)`, … in Spec/, and
    /// destination options (`options["key"]`) in the destination targets.
    static func keysTaken() throws -> [String: Set<String>] {
        let getters = "take|string|requiredString|stringList|mapping|int|bool|choice|duration|double|list"
        let patterns = [try Regex("(?:\(getters))\\(\"([a-z_]+)\""), try Regex("options\\[\"([a-z_]+)\"\\]")]
        var keys: [String: Set<String>] = [:]
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") && !file.hasPrefix("APISandbox") && !file.hasPrefix("connector/") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for pattern in patterns {
                for match in text.matches(of: pattern) {
                    if let key = match.output[1].substring { keys[String(key), default: []].insert(file) }
                }
            }
        }
        return keys
    }

    @Test("every key the readers accept is documented")
    func everyKeyDocumented() throws {
        let keys = try Self.keysTaken()
        #expect(keys.count > 60, "the scan found too few keys (\(keys.count)); has the reader's shape changed?")
        let missing = keys.filter { !Self.documented.contains($0.key) }.map { "\($0.key) (\($0.value.sorted().joined(separator: ", ")))" }.sorted()
        #expect(missing.isEmpty, "accepted but not in docs/reference.md: \(missing.joined(separator: ", "))")
    }

    /// Every property name anywhere in `docs/sources.schema.json` (the editor schema).
    static func schemaProperties() throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("docs/sources.schema.json"))
        var names = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let properties = object["properties"] as? [String: Any] { names.formUnion(properties.keys) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: data))
        return names
    }

    @Test("the JSON Schema for editors knows every key of sources.yaml")
    func schemaHasEveryKey() throws {
        let properties = try Self.schemaProperties()
        // Destination options live in destinations/*.yaml, which the schema does not describe.
        let keys = try Self.keysTaken().filter { $0.value.contains { $0.hasPrefix("ConnectorKit/Spec/") } }
        let missing = keys.keys.filter { !properties.contains($0) }.sorted()
        #expect(missing.isEmpty, "accepted but not in docs/sources.schema.json: \(missing.joined(separator: ", "))")
    }

    @Test("every choice of a fixed set is documented")
    func everyChoiceDocumented() {
        var choices: [String] = []
        choices += PaginatorSpec.Kind.allCases.map(\.rawValue)
        choices += PartitionSpec.KindName.allCases.map(\.rawValue)
        choices += PartitionSpec.WindowInterval.allCases.map(\.rawValue)
        choices += WriteDisposition.allCases.map(\.rawValue)
        choices += SchemaContract.allCases.map(\.rawValue)
        choices += DestinationSpec.Kind.allCases.map(\.rawValue)
        choices += SpecLoader.AuthType.allCases.map(\.rawValue)
        choices += AuthSpec.Credential.Location.allCases.map(\.rawValue)
        let missing = choices.filter { !Self.documented.contains($0) }
        #expect(missing.isEmpty, "choices not in docs/reference.md: \(missing.joined(separator: ", "))")
    }
}
