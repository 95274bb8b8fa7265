import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Singer targets from PyPI, each in its own virtualenv under `.build/singer-venv/<package>`
/// (scripts/test installs them when missing; their pins conflict, so one venv each).
enum SingerTargets {
    static func program(_ package: String, _ executable: String) -> String? {
        let path = repositoryRoot + "/.build/singer-venv/\(package)/bin/\(executable)"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static let postgres = program("pipelinewise-target-postgres", "target-postgres")
    static let jsonl = program("target-jsonl", "target-jsonl")

    /// Writes an executable shell script (a fake target) and returns its path.
    static func script(_ body: String, in directory: String, named name: String) throws -> String {
        let path = directory + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw CocoaError(.fileWriteNoPermission) }
        return path
    }

    /// A project copied into `directory` with `destinations/<name>.yaml` holding `yaml`.
    static func project(in directory: String, destination name: String, yaml: String) throws {
        try copyProject(to: directory)
        try yaml.write(toFile: directory + "/destinations/\(name).yaml", atomically: true, encoding: .utf8)
    }
}

/// Checks Singer messages against the spec's shape of each message type (a JSON-Schema-like
/// check by hand): SCHEMA before a stream's RECORDs, records' properties declared with a type
/// their values have, key properties among the properties, STATE with an object value.
/// Returns the RECORD count per stream.
func validateSingerMessages(_ text: String) throws -> [String: Int] {
    var schemas: [String: [String: [String]]] = [:]
    var records: [String: Int] = [:]
    for (number, line) in text.split(separator: "\n").enumerated() {
        let message = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(number + 1) is no object"
        )
        switch message["type"] as? String {
        case "SCHEMA":
            let stream = try #require(message["stream"] as? String, "line \(number + 1): SCHEMA without stream")
            let schema = try #require(message["schema"] as? [String: Any])
            #expect(schema["type"] as? String == "object")
            let properties = try #require(schema["properties"] as? [String: [String: Any]])
            let keys = try #require(message["key_properties"] as? [String], "line \(number + 1): key_properties")
            #expect(keys.allSatisfy { properties[$0] != nil }, "line \(number + 1): a key is not a property")
            schemas[stream] = properties.mapValues { ($0["type"] as? [String]) ?? [] }
        case "RECORD":
            let stream = try #require(message["stream"] as? String)
            let types = try #require(schemas[stream], "line \(number + 1): RECORD of \(stream) before its SCHEMA")
            let record = try #require(message["record"] as? [String: Any])
            for (key, value) in record {
                let allowed = try #require(types[key], "line \(number + 1): \(stream).\(key) not in the schema")
                let type = jsonType(value)
                let fits = allowed.contains(type) || (type == "integer" && allowed.contains("number"))
                #expect(fits, "line \(number + 1): \(stream).\(key) is \(type), declared \(allowed)")
            }
            records[stream, default: 0] += 1
        case "STATE":
            #expect(message["value"] is [String: Any], "line \(number + 1): STATE without an object value")
        default:
            Issue.record("line \(number + 1): unknown message type \(message["type"] ?? "none")")
        }
    }
    return records
}

/// The JSON Schema type name of a decoded JSON value.
private func jsonType(_ value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case is String: return "string"
    case is [Any]: return "array"
    case is [String: Any]: return "object"
    case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return "boolean" }
        return "\(number)".contains(where: { ".eE".contains($0) }) ? "number" : "integer"
    default: return "unknown"
    }
}

/// Changes the sandbox's data (50 new audit events, changed calls), then runs the binary;
/// expects the run to succeed and to have asked for audit events only from `cursor` on.
func runAfterChange(_ server: SandboxServer, _ arguments: [String], in dir: String, cursor: String) throws -> BinaryRun
{
    server.api.mutate()
    server.api.clearRequestLog()
    let run = try runConnector(arguments, in: dir, environment: server.environment)
    #expect(run.status == 0, "\(run.errors)")
    let log = server.api.requestLog
    #expect(log.count == 1 && log.first?.contains("dateFrom=\(URLText.encode(cursor))") == true, "\(log)")
    return run
}
