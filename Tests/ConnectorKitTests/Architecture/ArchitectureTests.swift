import Foundation
import Testing

/// The boundaries the compiler does not check, checked by reading the sources: which target may
/// import which, and, inside the engine, that a folder uses only types of folders before it in
/// the flow of data. See "Boundaries" in docs/ARCHITECTURE.md.
@Suite("Architecture boundaries")
struct ArchitectureTests {
    /// The engine's folders in the order data flows. A folder may use types of the folders before
    /// it, never after. Model (plain value types every stage shares) depends on nothing. JSON (the parser and writer) sits before HTTP, which writes JSON bodies;
    /// CivilTime is a target of its own below the whole engine (checked by `importRules`).
    static let engineFlow = ["Model", "Spec", "JSON", "HTTP", "Extract", "Normalize", "Load", "Pipeline"]

    /// Upward uses that exist today and are being removed. The test fails when one of them is no
    /// longer found (delete its line: the list only shrinks) and when one not listed appears.
    static let knownUpward: [String: String] = [:]

    static let destinations = ["SQLiteDestination", "PostgresDestination", "FileDestination", "SingerDestination"]

    /// Modules each target must not import.
    static let importRules: [(target: String, forbidden: [String])] =
        [
            ("ConnectorKit", destinations + ["APISandbox", "ArgumentParser"]),
            ("APISandbox", destinations + ["ConnectorKit", "ArgumentParser"]),
            ("CivilTime", destinations + ["ConnectorKit", "APISandbox", "ArgumentParser"]),
            // The dashboard reads every destination through ConnectorKit's reader protocols.
            ("Dashboard", destinations + ["APISandbox", "ArgumentParser"]),
            // Pure document → draft → YAML text: the engine never learns an API from it, nor it the engine.
            ("OpenAPIImport", destinations + ["ConnectorKit", "APISandbox", "ArgumentParser"]),
        ]
        + destinations.map { destination in
            (destination, destinations.filter { $0 != destination } + ["APISandbox", "ArgumentParser"])
        }

    static let sources: [SourceFile] = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return (try? SourceFile.all(in: url.appendingPathComponent("Sources"))) ?? []
    }()

    static var engine: [SourceFile] { sources.filter { $0.target == "ConnectorKit" } }

    /// Engine uses of a type declared in a folder later in the flow.
    static var upward: [FolderReference] {
        FolderReferences.between(engine).filter { reference in
            guard let from = engineFlow.firstIndex(of: reference.fromFolder),
                let to = engineFlow.firstIndex(of: reference.toFolder)
            else { return false }
            return to > from
        }
    }

    @Test("a target imports none of the modules below it or beside it", arguments: importRules)
    func imports(target: String, forbidden: [String]) {
        let files = Self.sources.filter { $0.target == target }
        #expect(!files.isEmpty, "no sources found for \(target)")
        for file in files {
            for module in file.imports.intersection(forbidden).sorted() {
                Issue.record("\(file.path) imports \(module), which \(target) must not depend on")
            }
        }
    }

    @Test("every engine file sits in a folder that has a place in the flow")
    func foldersInFlow() {
        #expect(Self.engine.count > 20)
        for file in Self.engine where !Self.engineFlow.contains(file.folder) {
            Issue.record(
                "\(file.path): folder '\(file.folder)' is not in ArchitectureTests.engineFlow; give it a place")
        }
    }

    @Test("no engine folder uses a type of a folder later in the flow, beyond the known list")
    func noNewUpwardUse() {
        for reference in Self.upward where Self.knownUpward[reference.edge] == nil {
            Issue.record("\(reference) (upward: \(reference.edge)); use a type from an earlier folder or move the type")
        }
    }

    @Test("every edge in knownUpward still exists, so the list only shrinks")
    func knownUpwardStillExists() {
        let found = Set(Self.upward.map(\.edge))
        for edge in Self.knownUpward.keys.sorted() where !found.contains(edge) {
            Issue.record("'\(edge)' is gone: delete it from ArchitectureTests.knownUpward")
        }
    }
}
