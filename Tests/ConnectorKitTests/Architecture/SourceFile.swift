import Foundation

/// One Swift file under `Sources/`, read for what the architecture checks need: the modules it
/// imports, the types it declares and the identifiers it uses.
struct SourceFile {
    /// Path below `Sources/`, e.g. `ConnectorKit/Spec/SpecLoader.swift`.
    let path: String
    let tokens: [SwiftToken]

    /// The target: the first path component (`ConnectorKit`).
    var target: String { String(path.prefix { $0 != "/" }) }

    /// The folder inside the target (`Spec`), or "" for a file at the target's root.
    var folder: String {
        let parts = path.split(separator: "/")
        return parts.count > 2 ? String(parts[1]) : ""
    }

    /// The modules named by `import` statements (`import struct Foo.Bar` gives `Foo`).
    var imports: Set<String> {
        var modules = Set<String>()
        for (n, token) in tokens.enumerated() where token.text == "import" && !token.afterDot && token.depth == 0 {
            guard let module = tokens[(n + 1)...].first(where: { !Self.importKinds.contains($0.text) }) else {
                continue
            }
            modules.insert(module.text)
        }
        return modules
    }

    /// Types, protocols and type aliases declared outside any braces and visible to other files.
    var topLevelTypes: Set<String> { declaredTypes(topLevelOnly: true) }

    /// Every type name declared in the file, nested ones and generic parameters (`<Value`)
    /// included: a use of such a name is local.
    var allTypes: Set<String> { declaredTypes(topLevelOnly: false).union(genericParameters) }

    /// The identifiers written in code (not after a `.`): the candidates for type references.
    var uses: Set<String> { Set(tokens.lazy.filter { !$0.afterDot }.map(\.text)) }

    /// The first generic parameter of each generic type or function (`struct Box<Value`).
    private var genericParameters: Set<String> {
        var names = Set<String>()
        for n in tokens.indices.dropFirst(2) where tokens[n].before == "<" {
            let keyword = tokens[n - 2].text
            if Self.typeKeywords.contains(keyword) || keyword == "func" || tokens[n - 1].text == "init" {
                names.insert(tokens[n].text)
            }
        }
        return names
    }

    private func declaredTypes(topLevelOnly: Bool) -> Set<String> {
        var names = Set<String>()
        for (n, token) in tokens.enumerated() where Self.typeKeywords.contains(token.text) && n + 1 < tokens.count {
            let name = tokens[n + 1]
            guard !token.afterDot, !Self.notAName.contains(name.text) else { continue }
            if topLevelOnly {
                let modifiers = tokens[..<n].reversed().prefix { Self.modifiers.contains($0.text) }.map(\.text)
                guard token.depth == 0, !modifiers.contains("private"), !modifiers.contains("fileprivate") else {
                    continue
                }
            }
            names.insert(name.text)
        }
        return names
    }

    private static let typeKeywords: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "actor"]
    /// Words after `class` that make it a modifier (`class func`), not a declaration.
    private static let notAName: Set<String> = ["func", "var", "let", "subscript", "init", "override", "final"]
    private static let modifiers: Set<String> = [
        "public", "package", "internal", "fileprivate", "private", "open", "final", "indirect", "nonisolated",
    ]
    private static let importKinds: Set<String> = [
        "struct", "class", "enum", "protocol", "typealias", "func", "var", "let",
    ]

    /// Every `.swift` file below `sourcesDirectory`, sorted by path.
    static func all(in sourcesDirectory: URL) throws -> [SourceFile] {
        let paths = FileManager.default.enumerator(atPath: sourcesDirectory.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            let text = try String(contentsOf: sourcesDirectory.appendingPathComponent(path), encoding: .utf8)
            return SourceFile(path: path, tokens: SwiftTokens.scan(text))
        }
    }
}
