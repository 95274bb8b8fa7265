/// A destination option that is not one string: a list (`command: [target-postgres]`) or a
/// mapping (`config: {host: db, password: ${PG_PASSWORD}}`), kept with its variables expanded.
/// Destinations that hand such a value to another program (a Singer target's `--config` file)
/// read it as a tree; scalars remember whether they were quoted, so `port: 5432` can be passed
/// on as a number and `port: "5432"` as text.
public indirect enum ConfigTree: Sendable {
    case scalar(ConfigString, quoted: Bool)
    case list([ConfigTree], SpecLocation)
    case mapping([(key: String, value: ConfigTree)], SpecLocation)

    /// The scalars of a list (or the one scalar), nil when a list holds a list or a mapping.
    public var strings: [ConfigString]? {
        switch self {
        case .scalar(let s, _): return [s]
        case .list(let items, _):
            let strings = items.compactMap { item -> ConfigString? in
                if case .scalar(let s, _) = item { return s }
                return nil
            }
            return strings.count == items.count ? strings : nil
        case .mapping: return nil
        }
    }

    /// Every scalar in the tree (for checks such as "is a variable missing?").
    public var scalars: [ConfigString] {
        switch self {
        case .scalar(let s, _): return [s]
        case .list(let items, _): return items.flatMap(\.scalars)
        case .mapping(let pairs, _): return pairs.flatMap(\.value.scalars)
        }
    }

    public var location: SpecLocation {
        switch self {
        case .scalar(let s, _): return s.location
        case .list(_, let location), .mapping(_, let location): return location
        }
    }

    /// Reads a node, expanding `${VAR}` in every scalar.
    static func read(_ node: YAMLNode, interpolator: Interpolator) throws(SpecError) -> ConfigTree {
        switch node {
        case .scalar(let text, let quoted, let location):
            return .scalar(try interpolator.expand(text, at: location), quoted: quoted)
        case .sequence(let items, let location):
            var out: [ConfigTree] = []
            for item in items { out.append(try read(item, interpolator: interpolator)) }
            return .list(out, location)
        case .mapping(let pairs, let location):
            var out: [(key: String, value: ConfigTree)] = []
            for pair in pairs { out.append((pair.key, try read(pair.value, interpolator: interpolator))) }
            return .mapping(out, location)
        }
    }
}
