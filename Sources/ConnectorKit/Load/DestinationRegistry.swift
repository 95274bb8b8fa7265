/// The destination types a build knows, by `type:` name: the built-in ones and any a package
/// registers. Checks a destination file (its type is registered, its options known) and builds it.
public struct DestinationRegistry: Sendable {
    private var factories: [String: any DestinationFactory] = [:]

    /// The factories in order; a later one replaces an earlier one of the same `typeName`, so a
    /// package may deliberately replace a built-in type.
    public init(_ factories: [any DestinationFactory]) {
        for factory in factories { self.factories[factory.typeName] = factory }
    }

    /// The registered type names, sorted (what the "unknown type" error lists).
    public var typeNames: [String] { factories.keys.sorted() }

    /// This registry with `more` added (replacing same-named types).
    public func adding(_ more: [any DestinationFactory]) -> DestinationRegistry {
        var copy = self
        for factory in more { copy.factories[factory.typeName] = factory }
        return copy
    }

    /// The factory of `spec`'s type, after checking its options; the errors point at the value
    /// in the destination file and list the valid choices.
    public func factory(for spec: DestinationSpec) throws(SpecError) -> any DestinationFactory {
        guard let factory = factories[spec.type.value] else {
            var message =
                "destination '\(spec.name)' has type '\(spec.type.value)', which is not a registered destination type;"
                + " registered: \(typeNames.joined(separator: ", "))"
            if let hint = Suggest.nearest(spec.type.value, in: typeNames) { message += "; did you mean '\(hint)'?" }
            throw SpecError(message, at: spec.type.location)
        }
        let given = spec.options.mapValues(\.location).merging(spec.trees.mapValues(\.location)) { first, _ in first }
        for (key, location) in given.sorted(by: { $0.key < $1.key }) where !factory.optionKeys.contains(key) {
            var message = "unknown key '\(key)' in destination '\(spec.name)' (type \(factory.typeName))"
            if let hint = Suggest.nearest(key, in: factory.optionKeys) { message += "; did you mean '\(hint)'?" }
            message += " Valid keys: " + (["type"] + factory.optionKeys).joined(separator: ", ")
            throw SpecError(message, at: location)
        }
        return factory
    }

    /// Checks every destination file of `project` (so `validate` and every command fail early).
    public func check(_ project: ProjectSpec) throws(SpecError) {
        for name in project.destinations.keys.sorted() {
            if let spec = project.destinations[name] { _ = try factory(for: spec) }
        }
    }

    /// The destination `spec` describes, placed by `placement`.
    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        try factory(for: spec).make(spec, placement: placement)
    }
}
