/// A file of one folder of a target using a type declared at the top level of another folder.
struct FolderReference: Hashable, Comparable, CustomStringConvertible {
    let file: String
    let fromFolder: String
    let toFolder: String
    let type: String

    /// The edge without the file: what `knownUpward` lists (`Spec -> Normalize.SchemaContract`).
    var edge: String { "\(fromFolder) -> \(toFolder).\(type)" }
    /// `Spec/SourceSpec.swift uses Normalize.SchemaContract`.
    var description: String { "\(file) uses \(toFolder).\(type)" }

    static func < (a: Self, b: Self) -> Bool { a.description < b.description }
}

/// Which folder of a target uses which type of another folder, found by scanning identifiers.
/// A name declared anywhere in the using folder (nested types too) counts as that folder's own.
enum FolderReferences {
    static func between(_ files: [SourceFile]) -> [FolderReference] {
        var declaredIn: [String: Set<String>] = [:]  // top-level type → folders declaring it
        var ownNames: [String: Set<String>] = [:]  // folder → every type name declared in it
        for file in files {
            for type in file.topLevelTypes { declaredIn[type, default: []].insert(file.folder) }
            ownNames[file.folder, default: []].formUnion(file.allTypes)
        }
        var references = Set<FolderReference>()
        for file in files {
            let own = ownNames[file.folder] ?? []
            for name in file.uses where !own.contains(name) {
                for folder in declaredIn[name] ?? [] where folder != file.folder {
                    let path = file.path.split(separator: "/").dropFirst().joined(separator: "/")
                    references.insert(
                        FolderReference(file: path, fromFolder: file.folder, toFolder: folder, type: name))
                }
            }
        }
        return references.sorted()
    }
}
