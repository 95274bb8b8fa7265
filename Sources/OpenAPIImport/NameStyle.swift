/// Names from an API's spelling to sources.yaml's: words, snake_case, singular, variable names.
enum NameStyle {
    /// `filterModifiedGt` → [filter, modified, gt]; `call-details` → [call, details].
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in text {
            if !(ch.isLetter || ch.isNumber) {
                if !current.isEmpty { words.append(current) }
                current = ""; previousLower = false
                continue
            }
            if ch.isUppercase && previousLower {
                words.append(current); current = ""
            }
            current.append(Character(ch.lowercased()))
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func snake(_ text: String) -> String { words(text).joined(separator: "_") }

    /// `SCREAMING_SNAKE` for a variable name.
    static func variable(_ text: String) -> String { snake(text).uppercased() }

    static func singular(_ word: String) -> String {
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("xes") { return String(word.dropLast(2)) }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), word.count > 3 { return String(word.dropLast()) }
        return word
    }

    static func looksLikeId(_ name: String) -> Bool {
        name == "id" || name.hasSuffix("Id") || name.hasSuffix("ID") || name.lowercased().hasSuffix("_id")
    }

    /// A resource name from a path: its fixed segments in snake_case (`/export/jobs/{jobId}/results`
    /// → `export_jobs_results`).
    static func resourceName(_ path: String) -> String {
        let segments = path.split(separator: "/")
        let fixed = segments.filter { !$0.hasPrefix("{") }.map { snake(String($0)) }
        var name = fixed.filter { !$0.isEmpty }.joined(separator: "_")
        // `/export/jobs/{jobId}` is one job of the list `/export/jobs`: `export_jobs_by_job_id`.
        if let last = segments.last, last.hasPrefix("{") { name += "_by_" + snake(String(last)) }
        guard let first = name.first else { return "root" }
        return first.isLetter || first == "_" ? name : "r_" + name
    }
}
