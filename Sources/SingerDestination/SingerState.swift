import ConnectorKit
import Foundation

/// connector's state of one pipeline as a Singer STATE value:
/// `{"bookmarks": {"<resource>": {"cursor": "…", "cursor:<work item>": "…", "job": "…"}}}` —
/// per resource the entries `StateEncoding` gives, the one stored form every destination uses.
/// The tap emits it, a target echoes it back once it has loaded what came before, and
/// `--state FILE` reads it (also when FILE holds a whole STATE message).
public struct SingerState: Sendable, Equatable {
    public var bookmarks: [String: [String: String]]

    public init(bookmarks: [String: [String: String]] = [:]) { self.bookmarks = bookmarks }

    /// The stored state of `resource`.
    public func resourceState(_ resource: String) -> ResourceState {
        StateEncoding.decode((bookmarks[resource] ?? [:]).map { (key: $0.key, value: $0.value) })
    }

    /// Applies a resource's state change; a resource without state gains no empty entry.
    public mutating func apply(_ change: StateChange, resource: String) {
        guard !change.updates.isEmpty || bookmarks[resource] != nil else { return }
        change.apply(to: &bookmarks[resource, default: [:]])
    }

    /// The value as JSON text, keys sorted (the same state always reads the same).
    public var json: String {
        struct Value: Encodable { let bookmarks: [String: [String: String]] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Value(bookmarks: bookmarks))) ?? Data("{\"bookmarks\":{}}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a state value, or a STATE message holding one; `what` names the source in errors.
    public static func parse(_ data: Data, what: String) throws(SingerError) -> SingerState {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw SingerError("\(what) is not a JSON object")
        }
        if object["type"] as? String == "STATE", let value = object["value"] as? [String: Any] { object = value }
        guard let bookmarks = object["bookmarks"] else { return SingerState() }
        guard let resources = bookmarks as? [String: Any] else {
            throw SingerError("\(what): 'bookmarks' must be an object of resources")
        }
        var out: [String: [String: String]] = [:]
        for (resource, entries) in resources {
            guard let entries = entries as? [String: String] else {
                throw SingerError("\(what): bookmarks of '\(resource)' must map names to strings")
            }
            out[resource] = entries
        }
        return SingerState(bookmarks: out)
    }
}

/// A Singer destination or tap failure, with what happened in words (never a config value).
public struct SingerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
