/// Parent → child: a required path or query parameter that names a parent's id (`/call-details?id=`
/// ← `calls.id`, `/export/jobs/{jobId}/results` ← `export_jobs.jobId`). A required parameter no
/// resource feeds disables the resource, with a note.
extension ResourceInference {
    mutating func linkParents() {
        for index in resources.indices {
            let child = resources[index]
            for param in pending[child.name] ?? [] {
                if let link = parent(for: param.name, inPath: param.inPath, child: child) {
                    resources[index].parent = link
                    if has404.contains(child.name) { resources[index].ignore404 = true }
                } else {
                    let variable = "\(prefix)_\(NameStyle.variable(param.name))"
                    resources[index].unfed = (param.name, variable, param.inPath)
                    variables.append((variable, "values of `\(param.name)` for \(child.name), comma-separated"))
                    resources[index].disabledBecause =
                        "needs `\(param.name)`, which no drafted resource provides: set \(variable), then enable"
                    notes.append("\(child.name): disabled — required parameter `\(param.name)` has no parent resource")
                }
                break
            }
            if (pending[child.name]?.count ?? 0) > 1 {
                notes.append("\(child.name): several required parameters; only the first is drafted")
            }
        }
    }

    /// The parent resource and field a parameter names, preferring one whose path the child's extends.
    func parent(for param: String, inPath: Bool, child: ResourceDraft) -> ParentDraft? {
        let words = NameStyle.words(param)
        let noun: String
        if words == ["id"] {
            let verbs: Set = ["get", "list", "fetch", "read", "view", "show"]
            let segment = child.path.split(separator: "/").first.map(String.init) ?? ""
            noun = NameStyle.singular(NameStyle.words(segment).first { !verbs.contains($0) } ?? "")
        } else {
            guard NameStyle.looksLikeId(param), let last = words.dropLast().last else { return nil }
            noun = NameStyle.singular(last)
        }
        let candidates = resources.filter { parent in
            parent.name != child.name && (pending[parent.name] ?? []).isEmpty
                && NameStyle.words(parent.name).map(NameStyle.singular).contains(noun)
                && (fields[parent.name] ?? []).contains { $0 == param || $0 == "id" }
        }
        let prefixed = candidates.first { child.path.hasPrefix($0.path + "/") }
        guard let parent = prefixed ?? candidates.first else { return nil }
        let field = (fields[parent.name] ?? []).contains(param) ? param : "id"
        let confidence: Confidence = prefixed != nil || words == ["id"] ? .high : .medium
        let why = "`\(param)` names a `\(noun)`: `\(parent.name).\(field)`"
            + (prefixed != nil ? " (the child's path extends the parent's)" : "")
        return ParentDraft(param: param, resource: parent.name, field: field, inPath: inPath,
                           why: Guess(parent.name, confidence, why))
    }
}
