import Yams

/// A YAML value with the place it was written, independent of the YAML library.
public indirect enum YAMLNode: Sendable {
    case scalar(String, quoted: Bool, SpecLocation)
    case mapping([(key: String, keyLocation: SpecLocation, value: YAMLNode)], SpecLocation)
    case sequence([YAMLNode], SpecLocation)

    public var location: SpecLocation {
        switch self {
        case .scalar(_, _, let l), .mapping(_, let l), .sequence(_, let l): return l
        }
    }

    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// True for an explicit YAML null (`~`, `null` or nothing).
    var isNull: Bool {
        if case .scalar(let s, let quoted, _) = self {
            return !quoted && (s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL")
        }
        return false
    }
}

/// Parses YAML text into `YAMLNode`s; syntax errors become `SpecError`s with line and column.
public enum YAMLDocument {
    public static func parse(_ text: String, file: String) throws(SpecError) -> YAMLNode? {
        try YAMLAliasBudget.check(text, file: file)
        let node: Node?
        do {
            // Scalars are read as written (`convert` keeps their text and quoting; the spec's
            // readers type them): the basic resolver skips the default one's regular expressions,
            // compiled on first use and matched against every scalar (~15 M instructions a run).
            node = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as YamlError {
            throw specError(error, file: file, text: text)
        } catch {
            throw SpecError("cannot read YAML: \(error)", at: SpecLocation(file: file, line: 1, column: 1))
        }
        return try node.map { n throws(SpecError) in try convert(n, file: file, text: text) }
    }

    private static func convert(_ node: Node, file: String, text: String) throws(SpecError) -> YAMLNode {
        func loc(_ mark: Mark?) -> SpecLocation {
            SpecLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
        switch node {
        case .scalar(let s):
            return .scalar(s.string, quoted: s.style == .singleQuoted || s.style == .doubleQuoted, loc(s.mark))
        case .mapping(let m):
            var pairs: [(key: String, keyLocation: SpecLocation, value: YAMLNode)] = []
            var seen: [String: SpecLocation] = [:]
            for (k, v) in m {
                guard case .scalar(let ks) = k else {
                    throw SpecError(
                        "mapping keys must be plain names", at: loc(k.mark), snippet: k.mark?.snippet(from: text))
                }
                if let first = seen[ks.string] {
                    throw SpecError(
                        "key '\(ks.string)' appears twice (first at line \(first.line))", at: loc(ks.mark),
                        snippet: ks.mark?.snippet(from: text))
                }
                seen[ks.string] = loc(ks.mark)
                pairs.append((ks.string, loc(ks.mark), try convert(v, file: file, text: text)))
            }
            return .mapping(pairs, loc(m.mark))
        case .sequence(let s):
            var items: [YAMLNode] = []
            for item in s { items.append(try convert(item, file: file, text: text)) }
            return .sequence(items, loc(s.mark))
        case .alias(let a):
            throw SpecError(
                "YAML aliases are not supported; repeat the value or use resource_defaults", at: loc(a.mark))
        }
    }

    private static func specError(_ error: YamlError, file: String, text: String) -> SpecError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return SpecError(
                "invalid YAML: \(detail)", at: SpecLocation(file: file, line: mark.line, column: mark.column),
                snippet: mark.snippet(from: text))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return SpecError(
                "key \(names) appears more than once in the same mapping; keep one",
                at: SpecLocation(file: file, line: context.mark.line, column: context.mark.column),
                snippet: context.mark.snippet(from: text))
        case .reader(let problem, _, _, _):
            return SpecError("cannot read YAML: \(problem)", at: SpecLocation(file: file, line: 1, column: 1))
        default:
            return SpecError("invalid YAML: \(error)", at: SpecLocation(file: file, line: 1, column: 1))
        }
    }
}
