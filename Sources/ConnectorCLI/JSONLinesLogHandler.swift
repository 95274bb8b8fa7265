import ArgumentParser
import CivilTime
import ConnectorKit
import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line: `time`, `level`, `message` and the
/// metadata, keys sorted (numbers stay numbers, a whole one without a fraction, as before). Every
/// text is passed through `redactor` before it is written — the engine redacts what it logs; this
/// is the second lock on the door.
/// Written by hand (`JSONText`): with Foundation's date formatting and `JSONSerialization`, a
/// request's line cost ~240 µs, and a run logging every request spent a third of its CPU there.
struct JSONLinesLogHandler: LogHandler {
    let sink: LogSink
    let redactor: Redactor
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": JSONText.quote(Self.now()),
            "level": JSONText.quote(event.level.rawValue),
            "message": JSONText.quote(redactor.redact(event.message.description)),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = json(value)
        }
        sink.write(Self.object(fields))
    }

    /// The time in ISO 8601, UTC, to the millisecond.
    static func now() -> String {
        let ms = Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
        return Timestamps.iso(ms / 1000, millis: ms % 1000)
    }

    /// A JSON object of members already written as JSON, keys sorted.
    private static func object(_ fields: [String: String]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + $0.value }.joined(separator: ",")
            + "}"
    }

    /// A double as `JSONSerialization` wrote it: `3` for 3.0, null when not finite.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }

    /// Numbers as numbers (a non-finite one as null), text redacted, lists and mappings as JSON.
    private func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .stringConvertible(let v as Int): return String(v)
        case .stringConvertible(let v as Double): return Self.number(v)
        case .stringConvertible(let v): return JSONText.quote(redactor.redact(v.description))
        case .string(let s): return JSONText.quote(redactor.redact(s))
        case .array(let list): return "[" + list.map(json).joined(separator: ",") + "]"
        case .dictionary(let map): return Self.object(map.mapValues(json))
        }
    }
}

/// Where log lines go: a file opened for appending (shared by every logger of the run), or
/// standard error.
struct LogSink: Sendable {
    let write: @Sendable (String) -> Void

    /// Appends to `path`, creating it.
    static func file(_ path: String) throws -> LogSink {
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            throw ValidationError("cannot create the log file \(path)")
        }
        guard let file = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write the log file \(path)")
        }
        file.seekToEndOfFile()
        let handle = LockedBox(file)
        return LogSink { line in handle.withLock { $0.write(Data((line + "\n").utf8)) } }
    }
}
