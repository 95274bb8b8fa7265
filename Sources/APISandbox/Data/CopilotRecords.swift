import CivilTime
/// Copilot calls, call details, users, topics and scorecards.
extension SandboxDataset {
    static let callStart = Timestamps.days(fromCivil: 2024, 1, 1) * 86_400
    /// Calls spread over 700 days whatever the scale; a multiple of 60 s plus 17 s keeps call
    /// times off window boundaries, except for the one call moved onto `boundaryCallSeconds`.
    var callStep: Int { max(60, (700 * 86_400 / callCount) / 60 * 60) }
    /// 2025-01-01T00:00:00Z, a month's first instant (09:00 in Tokyo, when real calls start):
    /// the first call at or after it is moved onto it, so that a load in monthly windows whose
    /// bounds are read strictly shows whether it loses the records on a boundary.
    public static let boundaryCallSeconds = Timestamps.days(fromCivil: 2025, 1, 1) * 86_400
    /// The index of the call on the boundary.
    public var boundaryCall: Int { (Self.boundaryCallSeconds - Self.callStart - 17 + callStep - 1) / callStep }

    public func callSeconds(_ i: Int) -> Int {
        i == boundaryCall ? Self.boundaryCallSeconds : Self.callStart + 17 + i * callStep
    }

    /// Calls touched by mutation `generation` get a new title and modification time.
    func callChanged(_ i: Int) -> Int? {
        guard generation > 0 else { return nil }
        for g in stride(from: generation, through: 1, by: -1) where i % 10 == g % 10 { return g }
        return nil
    }

    public func callModifiedSeconds(_ i: Int) -> Int {
        if let g = callChanged(i) { return Self.mutationEpoch + g * 3600 }
        return callSeconds(i) + 3600 * (1 + i % 5)
    }

    static let mutationEpoch = Timestamps.days(fromCivil: 2026, 6, 1) * 86_400

    /// The index range of calls with `gt < time < lt` (seconds): both bounds strict, as the
    /// parameters' names (`filterTimeGt`, `filterTimeLt`) say.
    func callRange(gt: Int?, lt: Int?) -> Range<Int> {
        let lo = gt.map { gt in firstCall { callSeconds($0) > gt } } ?? 0
        let hi = lt.map { lt in firstCall { callSeconds($0) >= lt } } ?? callCount
        return lo..<max(lo, hi)
    }

    /// The first call index for which `isPast` holds (call times ascend), or `callCount`.
    private func firstCall(where isPast: (Int) -> Bool) -> Int {
        var lo = 0, hi = callCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if isPast(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    public func callUserCount(_ i: Int) -> Int { 1 + i % 3 }
    public func callParticipantCount(_ i: Int) -> Int { i % 4 }
    public func transcriptLength(_ i: Int) -> Int { 4 + i % 6 }

    func writeCall(_ i: Int, details: Bool, to w: inout JSONWriter) {
        let account = random.pick(["Acme Corp", "Globex", "Initech", "Umbrella", "Société Générale", "株式会社テスト"], 50, i)
        w.beginObject()
        w.field("id", "call-\(i)")
        w.field("source_id", "zoom-\(random.hash(51, i) % 1_000_000_000)")
        let suffix = callChanged(i).map { " (v\($0))" } ?? ""
        w.field("title", "\(account) — \(random.pick(["Discovery", "Demo", "Negotiation", "QBR"], 52, i))\(suffix)")
        writeCallPeople(i, to: &w)
        w.field("status", "POST_PROCESSING_DONE")
        w.field("type", random.pick(["RECORDING", "RECORDING", "UPLOAD"], 55, i))
        w.field("time", Timestamps.iso(callSeconds(i)))
        w.field("last_modified_time", Timestamps.iso(callModifiedSeconds(i)))
        w.field("deal_name", "\(account) expansion")
        w.field("deal_value", i % 23 == 7 ? "NaN" : "\(10_000 + random.int(56, i, below: 90_000)).00")
        w.field("account_name", account)
        w.key("contact_names"); w.beginArray();
        for p in 0..<callParticipantCount(i) { w.string(random.personName(54, i * 5 + p)) }; w.endArray()
        writeCallCRMAndMetrics(i, to: &w)
        w.key("bookmark_timestamps"); w.beginArray(); for b in 0..<(i % 3) { w.int(30 * (b + 1)) }; w.endArray()
        w.field("call_review_page_url", "https://copilot.example.com/calls/call-\(i)")
        if details { writeCallDetails(i, account: account, to: &w) }
        w.endObject()
    }

    /// The call's users and external participants.
    private func writeCallPeople(_ i: Int, to w: inout JSONWriter) {
        w.key("users"); w.beginArray()
        for u in 0..<callUserCount(i) {
            let user = random.int(53, i * 7 + u, below: copilotUserCount)
            w.beginObject()
            w.field("userId", "cu-\(user)"); w.field("userEmail", "rep\(user)@example.com");
            w.field("isOrganizer", u == 0)
            w.endObject()
        }
        w.endArray()
        w.key("externalParticipants"); w.beginArray()
        for p in 0..<callParticipantCount(i) {
            let name = random.personName(54, i * 5 + p)
            w.beginObject()
            w.field("name", name); w.field("email", random.email(for: name, index: p))
            w.field("phone", p % 2 == 0 ? nil : "+1-555-01\(p)\(i % 10)")
            w.endObject()
        }
        w.endArray()
    }

    /// `crm_info` and `metrics` of a call.
    private func writeCallCRMAndMetrics(_ i: Int, to w: inout JSONWriter) {
        w.key("crm_info"); w.beginObject()
        w.field("source_crm", "SALESFORCE"); w.field("deal_id", "006\(i)"); w.field("account_id", "001\(i % 97)")
        w.key("contact_ids"); w.beginArray(); for p in 0..<callParticipantCount(i) { w.string("003\(i)\(p)") };
        w.endArray()
        w.endObject()
        w.key("metrics"); w.beginObject()
        if i % 37 == 5 {
            w.field("talk_listen_ratio", "NaN")
        } else {
            w.field("talk_listen_ratio", Double(random.int(57, i, below: 100)) / 100 + 0.005)
        }
        w.field("num_questions_asked", random.int(58, i, below: 30))
        w.field("call_duration", 300 + random.int(59, i, below: 3300))
        w.key("categories"); w.beginArray(); w.string(random.pick(topicNames, 60, i)); w.endArray()
        w.endObject()
    }

    /// What only `/call-details` answers: the live deal stage, the transcript and the summary.
    private func writeCallDetails(_ i: Int, account: String, to w: inout JSONWriter) {
        w.field("deal_stage_live", random.pick(["Discovery", "Proposal", "Closed Won"], 61, i))
        w.key("transcript"); w.beginArray()
        for s in 0..<transcriptLength(i) {
            w.beginObject()
            w.field("text", s == 2 ? "Pricing — ¿cuánto cuesta? \u{1F4B0}" : "Segment \(s) of call \(i)")
            w.field("start", s * 15); w.field("end", s * 15 + 14)
            if s % 2 == 0 { w.field("personId", s) } else { w.field("personId", "p\(s)") }
            w.key("annotations"); w.beginArray(); if s == 1 { w.string("question") }; w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("summary"); w.beginObject()
        w.field("full_summary", "Call \(i) with \(account).")
        w.key("topics_discussed"); w.beginArray(); w.string(random.pick(topicNames, 62, i)); w.endArray()
        w.key("key_action_items"); w.beginArray(); w.string("Send proposal"); w.endArray()
        w.endObject()
        w.key("competitor_sentiments"); w.beginArray(); w.endArray()
    }

    func writeCopilotUser(_ u: Int, to w: inout JSONWriter) {
        let name = random.personName(70, u)
        w.beginObject()
        w.field("id", "cu-\(u)"); w.field("email", "rep\(u)@example.com"); w.field("name", name)
        w.field("role", u % 5 == 0 ? "MANAGER" : (u % 11 == 3 ? "OBSERVER" : "REP"))
        w.field("is_recording", u % 4 != 3)
        w.field("manager_id", u % 5 == 0 ? nil : "cu-\(u / 5 * 5)")
        w.endObject()
    }

    func writeTopicV2(_ t: Int, to w: inout JSONWriter) {
        w.beginObject()
        w.field("topic_id", "topic-\(t)"); w.field("topic_name", topicNames[t])
        w.field("type", t % 2 == 0 ? "KEYWORD" : "SMART")
        w.key("team_ids"); w.beginArray(); for k in 0..<(t % 3) { w.string("team-\(k)") }; w.endArray()
        w.field("last_modified_time", Timestamps.iso(Self.callStart + t * 86_400))
        w.endObject()
    }

    func scorecardSeconds(_ s: Int) -> Int { Self.callStart + 900 + s * 7200 }

    func writeScorecard(_ s: Int, to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", "sc-\(s)"); w.field("type", "CALL")
        w.key("rep"); w.beginObject(); w.field("id", "cu-\(s % copilotUserCount)");
        w.field("name", random.personName(70, s % copilotUserCount)); w.endObject()
        w.key("scorer"); w.beginObject(); w.field("id", "cu-\(s % 5 * 5)"); w.endObject()
        w.field("template_id", "tpl-\(s % 3)"); w.field("call_id", "call-\(s % callCount)")
        w.field("time", Timestamps.iso(scorecardSeconds(s)))
        w.field("total_score", Double(random.int(71, s, below: 100)) / 10)
        w.field("remark", s % 4 == 0 ? nil : "Good discovery")
        w.key("questions_score"); w.beginArray()
        for q in 0..<3 {
            w.beginObject(); w.field("question_id", "q\(q)"); w.field("score", random.int(72, s * 3 + q, below: 5));
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
