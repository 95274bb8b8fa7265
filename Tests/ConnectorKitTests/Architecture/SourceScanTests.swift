import Testing

/// The source scanner behind `ArchitectureTests`: what it must see and what it must skip, so a
/// boundary check can neither miss a use hidden in an interpolation nor report a word in a comment.
@Suite("Architecture source scanner")
struct SourceScanTests {
    static func file(_ path: String, _ text: String) -> SourceFile {
        SourceFile(path: path, tokens: SwiftTokens.scan(text))
    }

    @Test(
        "comments and string text are skipped; interpolations and code are read",
        arguments: [
            ("let a = Foo() // Bar", ["Foo", "a", "let"]),
            ("/* Bar /* nested */ Baz */ Foo", ["Foo"]),
            (#""Bar \(Foo.make) Baz""#, ["Foo"]),
            (##"#"Bar \(Baz) \#(Foo)"#"##, ["Foo"]),
            ("\"\"\"\n  Bar \"q\" \\(Foo)\n  \"\"\"\nQux", ["Foo", "Qux"]),
            (#""a\"Bar\\" + Foo"#, ["Foo"]),
            ("x.Bar.Baz", ["x"]),
            ("`Foo`.self", ["Foo"]),
        ])
    func uses(source: String, expected: [String]) {
        #expect(Self.file("M/A.swift", source).uses == Set(expected))
    }

    @Test("declarations: top level and visible, or anywhere in the file")
    func declarations() {
        let source = """
            public struct Outer<Value: Sendable> { enum Inner {} }
            private enum Hidden {}
            fileprivate struct AlsoHidden {}
            final class Shape { class func make() {} }
            public typealias Alias = Int
            actor Worker {}
            extension Other {}
            """
        let file = Self.file("M/A.swift", source)
        #expect(file.topLevelTypes == ["Outer", "Shape", "Alias", "Worker"])
        #expect(file.allTypes == ["Outer", "Value", "Inner", "Hidden", "AlsoHidden", "Shape", "Alias", "Worker"])
    }

    @Test("imports: attributes and kinds are skipped, commented imports ignored")
    func imports() {
        let source = "@testable import Alpha\nimport struct Beta.Thing\n// import Gamma\n@preconcurrency import Delta\n"
        #expect(Self.file("M/A.swift", source).imports == ["Alpha", "Beta", "Delta"])
    }

    @Test("folder references: another folder's top-level type, unless the using folder declares the name")
    func references() {
        let files = [
            Self.file("Kit/Spec/A.swift", "struct SpecThing { let c: Contract; let s: Shadowed }"),
            Self.file("Kit/Spec/B.swift", "enum Holder { struct Shadowed {} }"),
            Self.file(
                "Kit/Normalize/C.swift", "public struct Contract {}\npublic struct Shadowed {}\nlet x = SpecThing()"),
        ]
        let found = FolderReferences.between(files).map(\.description)
        #expect(found == ["Normalize/C.swift uses Spec.SpecThing", "Spec/A.swift uses Normalize.Contract"])
        #expect(FolderReferences.between(files).first?.edge == "Normalize -> Spec.SpecThing")
    }
}
