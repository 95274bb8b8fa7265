import ConnectorKit
import Foundation

/// What `destinations/<name>.yaml` says about a Singer target: the program to run and the
/// config it gets (JSON, as Singer targets read it).
struct SingerTargetConfig: Sendable {
    let command: [String]
    let config: Data

    /// `command` (required: a list of strings, the program and its arguments) and `config`
    /// (a mapping, written as JSON; unquoted scalars that read as numbers, booleans or null
    /// become those, quoted ones stay strings). A variable that is not set is an error naming
    /// the variable, never its neighbours' values.
    init(spec: DestinationSpec) throws(SpecError) {
        guard let tree = spec.trees["command"] ?? spec.options["command"].map({ .scalar($0, quoted: false) }) else {
            throw SpecError(
                "destination '\(spec.name)' (type singer) needs 'command': the target program and its arguments, "
                    + "e.g. command: [target-postgres]", at: spec.location)
        }
        guard let words = tree.strings, let program = words.first?.value, !program.isEmpty else {
            throw SpecError(
                "'command' of destination '\(spec.name)' must be a non-empty list of strings", at: tree.location)
        }
        let configTree = spec.trees["config"]
        switch configTree {
        case .none, .mapping: break
        case .some(let other):
            throw SpecError("'config' of destination '\(spec.name)' must be a mapping", at: other.location)
        }
        for scalar in (configTree?.scalars ?? []) + words {
            if let variable = scalar.missingVariables.first {
                throw SpecError("destination '\(spec.name)': variable \(variable) is not set", at: scalar.location)
            }
        }
        command = words.map(\.value)
        config = Self.json(configTree)
    }

    static func json(_ tree: ConfigTree?) -> Data {
        guard let tree else { return Data("{}".utf8) }
        let object = value(tree)
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    private static func value(_ tree: ConfigTree) -> Any {
        switch tree {
        case .scalar(let text, let quoted): return quoted ? text.value : scalar(text.value)
        case .list(let items, _): return items.map(value)
        case .mapping(let pairs, _):
            return Dictionary(pairs.map { ($0.key, value($0.value)) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// An unquoted YAML scalar as JSON: integers, decimals, booleans, null; text otherwise.
    static func scalar(_ text: String) -> Any {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        case "null", "Null", "NULL", "~": return NSNull()
        default:
            if let int = Int(text) { return int }
            if let double = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
                double.isFinite
            {
                return double
            }
            return text
        }
    }
}
