/// The parent links `resolve` parameters draw between the resources of one source.
///
/// A child runs once per record of its parent, after it, so the links must form a forest:
/// every `resolve` names a resource of the source, all of a resource's resolves name the same
/// parent, and no chain of parents comes back to where it started — a resource resolving
/// from itself, or a → b → a, would wait for itself and never run. A resource that loads no
/// table (`selected: false`) must have a child, or it would do nothing.
enum ResourceGraph {
    /// One `resolve` parameter: the resource that has it, the parent it names, and where.
    private struct Link {
        let child: String
        let parent: String
        let location: SpecLocation
    }

    /// Throws at the offending `resolve`, naming the resources involved.
    static func check(_ resources: [ResourceSpec], source: String) throws(SpecError) {
        let names = resources.map(\.name)
        var parentLink: [String: Link] = [:]
        for resource in resources {
            for link in links(of: resource) {
                guard names.contains(link.parent) else {
                    var message =
                        "resource '\(link.child)' resolves a parameter from resource '\(link.parent)', "
                        + "which source '\(source)' does not define"
                    if let hint = Suggest.nearest(link.parent, in: names) { message += "; did you mean '\(hint)'?" }
                    throw SpecError(message, at: link.location)
                }
                if let first = parentLink[link.child], first.parent != link.parent {
                    throw SpecError(
                        "resource '\(link.child)' resolves from both '\(first.parent)' "
                            + "(line \(first.location.line)) and '\(link.parent)'; "
                            + "a resource runs once per record of one parent",
                        at: link.location)
                }
                parentLink[link.child] = parentLink[link.child] ?? link
            }
        }
        if let cycle = firstCycle(in: names, parentLink: parentLink) { throw cycle }
        let parents = Set(parentLink.values.map(\.parent))
        if let idle = resources.first(where: { !$0.selected && !parents.contains($0.name) }) {
            throw SpecError(
                "resource '\(idle.name)' has selected: false but no resource resolves from it, so it would "
                    + "load nothing; give it a child or remove 'selected'", at: idle.location)
        }
    }

    private static func links(of resource: ResourceSpec) -> [Link] {
        resource.endpoint.params.compactMap { param in
            guard case .resolve(let parent, _) = param.value else { return nil }
            let location = resource.endpoint.resolveLocations[param.name] ?? resource.location
            return Link(child: resource.name, parent: parent, location: location)
        }
    }

    /// The first cycle in declaration order, reported at the `resolve` of its earliest resource.
    private static func firstCycle(in names: [String], parentLink: [String: Link]) -> SpecError? {
        var acyclic = Set<String>()
        for start in names where !acyclic.contains(start) {
            var path: [String] = []
            var current: String? = start
            while let name = current, !acyclic.contains(name) {
                if let i = path.firstIndex(of: name) {
                    return cycleError(Array(path[i...]), names: names, parentLink: parentLink)
                }
                path.append(name)
                current = parentLink[name]?.parent
            }
            acyclic.formUnion(path)
        }
        return nil
    }

    private static func cycleError(_ cycle: [String], names: [String], parentLink: [String: Link]) -> SpecError {
        // Start the loop at the resource declared first, so the report does not depend on where the walk began.
        let first = cycle.min { (names.firstIndex(of: $0) ?? 0) < (names.firstIndex(of: $1) ?? 0) } ?? cycle[0]
        let offset = cycle.firstIndex(of: first) ?? 0
        let loop = Array(cycle[offset...] + cycle[..<offset]) + [first]
        let location = parentLink[first]?.location ?? SpecLocation(file: "", line: 1, column: 1)
        if loop.count == 2 {
            return SpecError(
                "resource '\(first)' resolves a parameter from itself (\(first) → \(first)); "
                    + "a child runs after its parent, so it would never start", at: location)
        }
        return SpecError(
            "resources resolve from each other in a cycle: \(loop.joined(separator: " → ")) "
                + "(each resolves a parameter from the next); a child runs after its parent, so none would start",
            at: location)
    }
}
