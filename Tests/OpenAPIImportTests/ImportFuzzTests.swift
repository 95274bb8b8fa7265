import Testing

@testable import OpenAPIImport

/// Mutated documents (lines dropped, duplicated, truncated, refs bent) never crash the importer.
/// Deterministic (a fixed seed), bounded in count; each either drafts or throws `OpenAPIImportError`.
@Suite("OpenAPI import: fuzz")
struct ImportFuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    static let seed = InferenceTests.document(paths: InferenceTests.listWithOffset)
        .replacingOccurrences(of: "  schemas: {}", with: "  schemas:\n" + InferenceTests.itemSchema)

    static func mutate(_ text: String, _ g: inout Generator) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0...g.next(3) {
            let i = g.next(lines.count)
            switch g.next(5) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: lines[i] = String(lines[i].prefix(g.next(lines[i].count + 1)))
            case 3: lines[i] = lines[i].replacingOccurrences(of: "Item", with: "Gone")
            default: lines[i] = lines[i].replacingOccurrences(of: "array", with: "object")
            }
            if lines.isEmpty { break }
        }
        return lines.joined(separator: "\n")
    }

    @Test("300 mutated documents: a draft or an OpenAPIImportError, never a crash")
    func mutatedDocuments() {
        var g = Generator(state: 18)
        var drafted = 0
        for _ in 0..<300 {
            let text = Self.mutate(Self.seed, &g)
            do {
                let draft = try OpenAPIImporter.draft(name: "f", text: text, file: "f.yml")
                _ = OpenAPIImporter.yaml(draft, origin: "f.yml")
                drafted += 1
            } catch {
                // A refused document is fine; it must say why (a typed error, caught here).
            }
        }
        #expect(drafted > 0, "some mutations must still draft")
    }
}
