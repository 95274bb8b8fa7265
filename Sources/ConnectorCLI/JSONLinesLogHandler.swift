import ArgumentParser
import ConnectorKit
import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line: `time`, `level`, `message`, then
/// the metadata (numbers stay numbers). Every text is passed through `redactor` before it is
/// written — the engine redacts what it logs; this is the second lock on the door.
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
        var object: [String: Any] = [
            "time": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "message": redactor.redact(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = plain(value)
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        sink.write(String(decoding: data, as: UTF8.self))
    }

    /// Numbers as numbers, text redacted, lists and mappings as JSON.
    private func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .stringConvertible(let v as Int): return v
        case .stringConvertible(let v as Double): return v
        case .stringConvertible(let v): return redactor.redact(v.description)
        case .string(let s): return redactor.redact(s)
        case .array(let list): return list.map(plain)
        case .dictionary(let map): return map.mapValues(plain)
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
