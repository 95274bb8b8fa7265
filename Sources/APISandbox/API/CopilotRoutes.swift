import CivilTime
/// Copilot routes under `/copilot`: calls (skip ≤ 10,000), call details, users, topics, scorecards.
extension SandboxAPI {
    static let maxSkip = 10_000

    func copilot(_ request: SandboxRequest, path: String) -> SandboxResponse {
        let keys = configuration.credentials
        guard request.headers["x-api-key"] == keys.copilotKey, request.headers["x-api-password"] == keys.copilotPassword
        else {
            var w = JSONWriter(); w.beginObject()
            w.field("code", "UNAUTHENTICATED"); w.field("namespace", "copilot"); w.field("errorId", "err-401")
            w.field("message", "Missing or invalid X-Api-Key / X-Api-Password"); w.field("orgId", nil)
            w.endObject()
            return .json(w, status: 401)
        }
        guard request.method == "GET" else { return .error(405, code: "method_not_allowed", message: "GET only") }
        let data = dataset
        switch path {
        case "/calls": return calls(request, data)
        case "/call-details": return callDetails(request, data)
        case "/users":
            var w = JSONWriter(); w.beginObject(); w.key("users"); w.beginArray()
            for u in 0..<data.copilotUserCount { data.writeCopilotUser(u, to: &w) }
            w.endArray(); w.endObject()
            return .json(w)
        case "/topics":
            var w = JSONWriter(); w.beginObject(); w.key("topics"); w.beginArray()
            for t in data.topicNames { w.string(t) }
            w.endArray(); w.endObject()
            return .json(w)
        case "/v2/topics":
            var w = JSONWriter(); w.beginObject(); w.key("topics"); w.beginArray()
            for t in data.topicNames.indices { data.writeTopicV2(t, to: &w) }
            w.endArray(); w.endObject()
            return .json(w)
        case "/scorecard": return scorecards(request, data)
        default: return .error(404, code: "not_found", message: "Unknown Copilot route \(path)")
        }
    }

    private struct Paging { var skip: Int; var limit: Int }

    private func paging(_ request: SandboxRequest, defaultLimit: Int) -> Result<Paging, SandboxError> {
        let skip = request.query["skip"].flatMap(Int.init) ?? 0
        let limit = request.query["limit"].flatMap(Int.init) ?? defaultLimit
        guard skip >= 0, skip <= Self.maxSkip else {
            return .failure(SandboxError(400, "skip must be between 0 and \(Self.maxSkip)"))
        }
        guard (1...100).contains(limit) else { return .failure(SandboxError(400, "limit must be between 1 and 100")) }
        return .success(Paging(skip: skip, limit: limit))
    }

    private func time(_ request: SandboxRequest, _ name: String) -> Result<Int?, SandboxError> {
        guard let text = request.query[name] else { return .success(nil) }
        guard let v = Timestamps.parse(text) else { return .failure(SandboxError(400, "\(name) is not ISO 8601")) }
        return .success(v)
    }

    private func calls(_ request: SandboxRequest, _ data: SandboxDataset) -> SandboxResponse {
        do {
            let p = try paging(request, defaultLimit: 25).get()
            let range = data.callRange(
                gt: try time(request, "filterTimeGt").get(), lt: try time(request, "filterTimeLt").get())
            let modGt = try time(request, "filterModifiedGt").get(), modLt = try time(request, "filterModifiedLt").get()
            var matching: [Int] = []
            if modGt != nil || modLt != nil {
                for i in range {
                    let m = data.callModifiedSeconds(i)
                    if let modGt, m <= modGt { continue }
                    if let modLt, m >= modLt { continue }
                    matching.append(i)
                }
            }
            let total = modGt != nil || modLt != nil ? matching.count : range.count
            let pageEnd = min(total, p.skip + p.limit)
            var w = JSONWriter(capacity: 64 * 1024)
            w.beginObject(); w.key("calls"); w.beginArray()
            if p.skip < pageEnd {
                for k in p.skip..<pageEnd {
                    data.writeCall(matching.isEmpty ? range.lowerBound + k : matching[k], details: false, to: &w)
                }
            }
            w.endArray()
            if request.query["includePagination"] != "false" {
                w.key("pagination"); w.beginObject()
                w.field("matched", total); w.field("hasMore", pageEnd < total)
                if pageEnd < total { w.field("nextPageSkip", pageEnd) }
                w.endObject()
            }
            w.endObject()
            return .json(w)
        } catch {
            return .error(error.status, code: "invalid_request", message: error.message)
        }
    }

    private func callDetails(_ request: SandboxRequest, _ data: SandboxDataset) -> SandboxResponse {
        guard let id = request.query["id"], id.hasPrefix("call-"), let i = Int(id.dropFirst(5)),
            i >= 0, i < data.callCount, !data.callDetailsMissing(i)
        else {
            return .error(404, code: "not_found", message: "No call with id \(request.query["id"] ?? "")")
        }
        var w = JSONWriter(capacity: 8 * 1024)
        w.beginObject(); w.key("call"); data.writeCall(i, details: true, to: &w); w.endObject()
        return .json(w)
    }

    private func scorecards(_ request: SandboxRequest, _ data: SandboxDataset) -> SandboxResponse {
        do {
            let p = try paging(request, defaultLimit: 50)
                .get()
            let gt = try time(request, "filterTimeGt").get(), lt = try time(request, "filterTimeLt").get()
            let all = (0..<data.scorecardCount).filter { s in
                let t = data.scorecardSeconds(s)
                return (gt.map { t > $0 } ?? true) && (lt.map { t < $0 } ?? true)
            }
            let pageEnd = min(all.count, p.skip + p.limit)
            var w = JSONWriter(capacity: 32 * 1024)
            w.beginObject(); w.key("scorecards"); w.beginArray()
            if p.skip < pageEnd { for k in p.skip..<pageEnd { data.writeScorecard(all[k], to: &w) } }
            w.endArray()
            w.key("pagination"); w.beginObject()
            w.field("matched", all.count); w.field("hasMore", pageEnd < all.count)
            if pageEnd < all.count { w.field("nextPageSkip", pageEnd) }
            w.endObject(); w.endObject()
            return .json(w)
        } catch {
            return .error(error.status, code: "invalid_request", message: error.message)
        }
    }
}

struct SandboxError: Error {
    let status: Int
    let message: String
    init(_ status: Int, _ message: String) { self.status = status; self.message = message }
}
