import ConnectorKit
import Foundation

/// Adds a source block under `sources:` of a project's sources.yaml (creating the file when there
/// is none), then validates the project; a source that does not validate leaves the file as it was.
struct SourcesFileInsertion {
    let directory: String
    var path: String { directory + "/sources.yaml" }

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    func insert(_ block: String, name: String, validate: () throws -> ProjectSpec) throws {
        let files = FileManager.default
        let original = files.fileExists(atPath: path) ? try String(contentsOfFile: path, encoding: .utf8) : nil
        let updated = try Self.inserting(block, name: name, into: original, file: path)
        try updated.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try validate()
        } catch {
            if let original { try original.write(toFile: path, atomically: true, encoding: .utf8) }
            else { try? files.removeItem(atPath: path) }
            throw error
        }
    }

    /// The text with `block` (indented two spaces) as the first entry under `sources:`.
    static func inserting(_ block: String, name: String, into text: String?, file: String) throws -> String {
        guard let text else { return "sources:\n" + block }
        var lines = text.components(separatedBy: "\n")
        let header = lines.firstIndex { line in
            let rest = line.hasPrefix("sources:") ? line.dropFirst(8).trimmingCharacters(in: .whitespaces) : "-"
            return rest.isEmpty || rest.hasPrefix("#")
        }
        guard let header else {
            throw Refused(description: "\(file) has no block `sources:` line to add under: use --stdout and paste it")
        }
        let children = lines[(header + 1)...].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty
            && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        let indent = children.map { $0.prefix { $0 == " " }.count } ?? 2
        if lines[(header + 1)...].contains(where: { $0 == String(repeating: " ", count: indent) + name + ":" }) {
            throw Refused(description: "\(file) already has a source `\(name)`: choose another name")
        }
        let extra = String(repeating: " ", count: max(0, indent - 2))
        let shifted = block.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : extra + $0 }
        lines.insert(contentsOf: shifted.dropLast(), at: header + 1)
        return lines.joined(separator: "\n")
    }
}
