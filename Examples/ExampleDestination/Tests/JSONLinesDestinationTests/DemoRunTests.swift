import Foundation
import JSONLinesDestination
import Testing

/// The example's executable (the whole command line with `type: jsonl_lines` registered) loads
/// the sandbox, and the rows on disk are what the built-in files destination loads from the same
/// data; `demo --verify` also holds every table to the sandbox generator's counts.
@Suite("example-connector against the sandbox")
struct DemoRunTests {
    /// This package's folder, from this file's path.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let repository = (package as NSString).appendingPathComponent("../..")

    /// The executable `swift build` made: in this package's `.build`, or in the repository's when
    /// built with `--scratch-path` there (as scripts/test does, to reuse the built library).
    static var binary: String? {
        [package + "/.build/debug/example-connector", repository + "/.build/debug/example-connector"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    @Test("demo into jsonl_lines: the generator's counts, the same rows as the files destination, inspectable")
    func demoLoadsTheSandbox() throws {
        let binary = try #require(Self.binary, "build example-connector first (swift build in \(Self.package))")
        let project = try Self.makeProject()
        for destination in ["lake", "files"] {
            let run = try Self.run(
                binary, ["demo", "--project", project, "--destination", destination, "--verify", "clari_core"])
            #expect(run.status == 0, "demo into \(destination) failed:\n\(run.output)")
        }
        let lake = try #require(DatasetFolder(root: project + "/data/lake/demo/clari_core").current)
        let lakeRows = try Self.lineCounts(files: lake) { $0.hasSuffix(".jsonl") && !$0.hasPrefix("_") }
        let fileRows = try Self.lineCounts(folders: project + "/data/files/demo/clari_core")
        // Tables declared but empty this load (a list no record had) exist here as empty files;
        // the files destination writes no file for them.
        #expect(lakeRows.values.filter { $0 > 0 }.count > 3, "\(lakeRows)")
        #expect(lakeRows.filter { $0.value > 0 } == fileRows)
        let show = try Self.run(
            binary, ["show", "--project", project, "--demo", "--destination", "lake", "clari_core"])
        #expect(show.status == 0 && lakeRows.keys.allSatisfy { show.output.contains($0) }, "\(show.output)")
        let loads = try Self.run(
            binary, ["loads", "--project", project, "--demo", "--destination", "lake", "clari_core"])
        #expect(loads.status == 0 && loads.output.contains("succeeded"), "\(loads.output)")
    }

    @Test("an unknown destination type is refused at its line, listing the registered types")
    func unknownTypeListsRegistered() throws {
        let binary = try #require(Self.binary)
        let project = try Self.makeProject()
        try "type: jsonl_line\n".write(toFile: project + "/destinations/typo.yaml", atomically: true, encoding: .utf8)
        let run = try Self.run(binary, ["validate", "--project", project])
        #expect(run.status != 0)
        #expect(run.output.contains("destinations/typo.yaml:1:7"), "\(run.output)")
        #expect(run.output.contains("registered: files, jsonl_lines, postgres, singer, sqlite"), "\(run.output)")
    }

    /// The repository's sources.yaml and files destination, plus `destinations/lake.yaml`.
    static func makeProject() throws -> String {
        let project = NSTemporaryDirectory() + "example-destination-" + UUID().uuidString.prefix(8)
        let files = FileManager.default
        try files.createDirectory(atPath: project + "/destinations", withIntermediateDirectories: true)
        try files.copyItem(atPath: repository + "/sources.yaml", toPath: project + "/sources.yaml")
        try files.copyItem(
            atPath: repository + "/destinations/files.yaml", toPath: project + "/destinations/files.yaml")
        try "type: jsonl_lines\npath: data/lake/{pipeline}\n".write(
            toFile: project + "/destinations/lake.yaml", atomically: true, encoding: .utf8)
        return project
    }

    /// Lines per file (named by the file without `.jsonl`).
    static func lineCounts(files folder: String, where keep: (String) -> Bool) throws -> [String: Int] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter(keep)
        return Dictionary(uniqueKeysWithValues: names.map { (String($0.dropLast(6)), lines(folder + "/" + $0)) })
    }

    /// Lines of every `.jsonl` file per table folder (the files destination's layout).
    static func lineCounts(folders root: String) throws -> [String: Int] {
        let tables = try FileManager.default.contentsOfDirectory(atPath: root).filter {
            !$0.hasPrefix("_") && !$0.hasPrefix(".")
        }
        return try Dictionary(
            uniqueKeysWithValues: tables.map { table in
                let files = try FileManager.default.contentsOfDirectory(atPath: root + "/" + table)
                return (table, files.reduce(0) { $0 + lines(root + "/" + table + "/" + $1) })
            })
    }

    static func lines(_ path: String) -> Int {
        (FileManager.default.contents(atPath: path) ?? Data()).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    /// Runs the binary to the end; standard output and error together.
    static func run(_ binary: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("example-run-" + UUID().uuidString)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
