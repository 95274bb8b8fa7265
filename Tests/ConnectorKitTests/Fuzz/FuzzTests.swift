import ConnectorKit
import Foundation
import Testing

/// A small deterministic generator (SplitMix64), so every fuzz case can be replayed by seed.
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}

/// A random JSON value, with the cells and child rows the normalizer must produce for it.
indirect enum FuzzJSON {
    case null, bool(Bool), int(Int), double(Double), string(String)
    case array([FuzzJSON]), object([(String, FuzzJSON)])

    static let keys = [
        "id", "userId", "user_id", "User-ID", "name", "select", "a b", "Zoë", "更新", "x\"y", "2fa", "value", "n",
        "items",
    ]

    static func make(_ r: inout FuzzRandom, depth: Int) -> FuzzJSON {
        switch r.int(depth > 5 ? 5 : 8) {
        case 0: return .null
        case 1: return .bool(r.int(2) == 0)
        case 2: return .int(r.int(2_000_000) - 1_000_000)
        case 3: return .double(Double(r.int(100_000)) / 7)
        case 4:
            return .string(
                ["", "plain", "NaN", "2026-01-02T03:04:05Z", "quote \" back \\ slash", "🦄 ünï", "\u{1}\n\t"][r.int(7)])
        case 5, 6:
            var pairs: [(String, FuzzJSON)] = []
            var used = Set<String>()
            for _ in 0..<r.int(5) {
                let k = keys[r.int(keys.count)]
                if used.insert(k).inserted { pairs.append((k, make(&r, depth: depth + 1))) }
            }
            return .object(pairs)
        default:
            return .array((0..<r.int(4)).map { _ in make(&r, depth: depth + 1) })
        }
    }

    var text: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        case .string(let s): return JSONText.quote(s)
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let pairs):
            return "{" + pairs.map { JSONText.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    /// (data cells, rows) expected from this record at the root, mirroring the nesting rules.
    func expectedAsRecord(maxNesting: Int) -> (cells: Int, rows: Int) {
        switch self {
        case .object(let pairs): return Self.fill(pairs, depth: 1, max: maxNesting, rows: 1)
        case .null: return (0, 1)
        default: return (1, 1)
        }
    }

    private static func fill(_ pairs: [(String, FuzzJSON)], depth: Int, max: Int, rows: Int) -> (cells: Int, rows: Int)
    {
        var cells = 0, rows = rows
        for (_, v) in pairs {
            switch v {
            case .null: break
            case .object(let inner):
                if depth < max {
                    let r = fill(inner, depth: depth + 1, max: max, rows: 0); cells += r.cells; rows += r.rows
                } else {
                    cells += 1
                }
            case .array(let items):
                if depth < max {
                    for item in items {
                        rows += 1
                        switch item {
                        case .object(let inner):
                            let r = fill(inner, depth: depth + 1, max: max, rows: 0); cells += r.cells; rows += r.rows
                        case .null: break
                        default: cells += 1
                        }
                    }
                } else {
                    cells += 1
                }
            default: cells += 1
            }
        }
        return (cells, rows)
    }
}

@Suite("Fuzz")
struct FuzzTests {
    @Test(
        "random documents normalize without loss: every value lands in a cell, every list element in a row, links hold")
    func normalizer() throws {
        var r = FuzzRandom(state: 20_261_122)
        for iteration in 0..<300 {
            let records = (0..<(1 + r.int(6))).map { _ in FuzzJSON.make(&r, depth: 0) }
            let maxNesting = 1 + r.int(5)
            let text = "[" + records.map(\.text).joined(separator: ",") + "]"
            let parser = JSONParser()
            let doc = try parser.parse(Array(text.utf8))
            let n = RecordNormalizer(loadId: "L", maxNesting: maxNesting)
            n.declareRoot("t", primaryKey: [], disposition: .append, resource: "t")
            for record in doc.elements { try n.add(record, to: "t", extras: []) }
            let batches = n.takeBatches()
            var cells = 0, rows = 0
            var ids = Set<String>()
            var parentIds: [String] = []
            for b in batches {
                let data = b.table.columns.indices.filter { !b.table.columns[$0].name.hasPrefix("_connector") }
                let idIndex = b.table.columns.firstIndex { $0.name == "_connector_id" }
                let parentIndex = b.table.columns.firstIndex { $0.name == "_connector_parent_id" }
                for row in b.rows {
                    rows += 1
                    cells += data.filter { $0 < row.count && row[$0] != .null }.count
                    if let i = idIndex, case .text(let id) = row[i] { ids.insert(id) }
                    if let p = parentIndex, case .text(let id) = row[p] { parentIds.append(id) }
                }
            }
            let expected = records.map { $0.expectedAsRecord(maxNesting: maxNesting) }
            #expect(cells == expected.reduce(0) { $0 + $1.cells }, "iteration \(iteration): \(text)")
            #expect(rows == expected.reduce(0) { $0 + $1.rows }, "iteration \(iteration): \(text)")
            #expect(parentIds.allSatisfy(ids.contains), "iteration \(iteration): a child row points at no parent")
        }
    }

    @Test("mutated sources.yaml: a spec or a located SpecError, never a crash")
    func yamlLoader() throws {
        var dir = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("sources.yaml").path) {
            dir.deleteLastPathComponent()
        }
        let original = Array(
            try String(contentsOf: dir.appendingPathComponent("sources.yaml"), encoding: .utf8).unicodeScalars)
        let lineCount = original.filter { $0 == "\n" }.count + 1
        let alphabet = Array(":-{}[],\"' \n#&*!|>%@`\t\\abcXYZ0123456789$".unicodeScalars)
        var r = FuzzRandom(state: 42)
        var errors = 0
        for _ in 0..<300 {
            var text = original
            for _ in 0..<(1 + r.int(3)) {
                let at = r.int(text.count)
                switch r.int(3) {
                case 0: text.remove(at: at)
                case 1: text.insert(alphabet[r.int(alphabet.count)], at: at)
                default: text[at] = alphabet[r.int(alphabet.count)]
                }
            }
            do {
                _ = try SpecLoader(environment: [:]).parseSources(
                    String(String.UnicodeScalarView(text)), file: "sources.yaml")
            } catch {
                errors += 1
                let location = try #require(error.location, "\(error)")
                #expect(location.line >= 1 && location.line <= lineCount + 1)
            }
        }
        #expect(errors > 50, "mutations should break the spec often")
    }
}
