@testable import ConnectorKit
import Foundation
import Testing

/// The reference in `docs/reference.md` must name every key and every choice the spec reader
/// accepts: the readers' key tables (`SpecKeys.all`) are the source of truth, so a key added
/// without its documentation fails here.
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

    /// Keys the spec accepts, each with the places that accept it: every key table of the
    /// readers (`SpecKeys.all`, the same tables their unknown-key errors list), and destination
    /// options (`options["key"]`) scanned from the destination targets, which have no table.
    static func keysTaken() throws -> [String: Set<String>] {
        var keys: [String: Set<String>] = [:]
        for table in SpecKeys.all {
            for key in table.keys { keys[key, default: []].insert(table.place) }
        }
        for (file, text) in try sourceFiles() where !file.hasPrefix("ConnectorKit/") {
            for match in text.matches(of: try Regex("options\\[\"([a-z_]+)\"\\]")) {
                if let key = match.output[1].substring { keys[String(key), default: []].insert(file) }
            }
        }
        return keys
    }

    /// Path under Sources/ → text, for every Swift file of the engine and the destinations.
    static func sourceFiles() throws -> [(String, String)] {
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") && !$0.hasPrefix("APISandbox") && !$0.hasPrefix("connector/") }
            .map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// A reader that reads a key its table lacks rejects that key as unknown (and trips an
    /// assertion in debug builds); this catches it without running the reader: every literal key
    /// a getter reads in Spec/ (`take("key")`, `string("key")`, `int("key", …)`, …) is in a table.
    @Test("every key a reader reads is in a key table")
    func readKeysAreInTables() throws {
        let getters = "take|string|requiredString|stringList|mapping|int|bool|choice|duration|double|list|keyLocation"
        let pattern = try Regex("(?:\\.|\\b)(?:\(getters))\\(\"([a-z_]+)\"")
        let tabled = Set(SpecKeys.all.flatMap(\.keys))
        var read: [String: Set<String>] = [:]
        for (file, text) in try Self.sourceFiles() where file.hasPrefix("ConnectorKit/Spec/") {
            for match in text.matches(of: pattern) {
                if let key = match.output[1].substring { read[String(key), default: []].insert(file) }
            }
        }
        #expect(read.count > 60, "the scan found too few keys (\(read.count)); has the readers' shape changed?")
        let missing = read.filter { !tabled.contains($0.key) }.map {
            "\($0.key) (\($0.value.sorted().joined(separator: ", ")))"
        }
        #expect(missing.isEmpty, "read but in no key table: \(missing.sorted().joined(separator: ", "))")
    }

    @Test("every key the readers accept is documented")
    func everyKeyDocumented() throws {
        let keys = try Self.keysTaken()
        #expect(keys.count > 60, "the scan found too few keys (\(keys.count)); has the reader's shape changed?")
        let missing = keys.filter { !Self.documented.contains($0.key) }.map {
            "\($0.key) (\($0.value.sorted().joined(separator: ", ")))"
        }.sorted()
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
        let keys = Set(SpecKeys.all.filter { $0.place != "destinations/<name>.yaml" }.flatMap(\.keys))
        let missing = keys.filter { !properties.contains($0) }.sorted()
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
        choices += AuthSpec.Kind.allCases.map(\.rawValue)
        choices += AuthSpec.Credential.Location.allCases.map(\.rawValue)
        choices += ResponseActionSpec.Action.allCases.map(\.rawValue)
        let missing = choices.filter { !Self.documented.contains($0) }
        #expect(missing.isEmpty, "choices not in docs/reference.md: \(missing.joined(separator: ", "))")
    }
}
