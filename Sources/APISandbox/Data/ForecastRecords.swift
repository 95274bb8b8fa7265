import CivilTime
/// The five-list document of a finished forecast export.
extension SandboxDataset {
    /// `YYYY_QN` → (year, quarter); nil when malformed.
    static func quarter(_ label: String) -> (Int, Int)? {
        let parts = label.split(separator: "_")
        guard parts.count == 2, let y = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q",
            let q = Int(parts[1].dropFirst()), (1...4).contains(q)
        else { return nil }
        return (y, q)
    }

    func writeForecastResults(forecastId: String, timePeriod: String, to w: inout JSONWriter) {
        let (year, q) = Self.quarter(timePeriod) ?? (2026, 1)
        let quarterStart = Timestamps.days(fromCivil: year, (q - 1) * 3 + 1, 1)
        let seedIndex = (Int(forecastId) ?? 0) * 100 + year * 4 + q
        w.beginObject()
        writeForecastEntries(timePeriod: timePeriod, seedIndex: seedIndex, quarterStart: quarterStart, to: &w)
        writeForecastUsers(to: &w)
        w.key("fields"); w.beginArray()
        for field in forecastFields {
            w.beginObject(); w.field("fieldId", field); w.field("fieldName", field.capitalized);
            w.field("fieldType", field == "quota" ? "QUOTA" : "FORECAST"); w.endObject()
        }
        w.endArray()
        w.key("timePeriods"); w.beginArray(); w.beginObject()
        w.field("timePeriodId", timePeriod); w.field("label", "Q\(q) \(year)"); w.field("year", "\(year)")
        w.field("type", "QUARTER"); w.field("crmId", "FY\(year)Q\(q)")
        w.field("startDate", Timestamps.iso(quarterStart * 86_400).prefix(10).description)
        w.field("endDate", Timestamps.iso((quarterStart + 90) * 86_400).prefix(10).description)
        w.endObject(); w.endArray()
        w.key("timeFrames"); w.beginArray()
        for tf in 1...timeFramesPerQuarter {
            w.beginObject(); w.field("timeFrameId", "\(tf)")
            w.field("startDate", Timestamps.iso((quarterStart + (tf - 1) * 7) * 86_400).prefix(10).description)
            w.field("endDate", Timestamps.iso((quarterStart + tf * 7 - 1) * 86_400).prefix(10).description)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    /// One entry per user, field and time frame of the quarter.
    private func writeForecastEntries(timePeriod: String, seedIndex: Int, quarterStart: Int, to w: inout JSONWriter) {
        w.key("entries"); w.beginArray()
        for u in 0..<forecastUserCount {
            for field in forecastFields {
                for tf in 1...timeFramesPerQuarter {
                    let k = seedIndex * 100_000 + u * 100 + tf
                    w.beginObject()
                    w.field("userId", "\(332_800 + u)"); w.field("fieldId", field)
                    w.field("timePeriodId", timePeriod); w.field("timeFrameId", "\(tf)")
                    if field == "quota" {
                        w.field("quotaValue", Double(1_000_000 + random.int(80, k, below: 100) * 10_000))
                    } else {
                        w.field("forecastValue", Double(random.int(81, k, below: 5_000_000)) + 0.5)
                        w.key("currency"); w.beginObject(); w.field("code", "USD"); w.field("symbol", "$");
                        w.endObject()
                        w.field("isUpdated", k % 3 == 0)
                        w.field("updatedBy", "\(332_800 + u / 2)")
                        w.field("updatedOn", (quarterStart + tf * 7) * 86_400_000)
                    }
                    w.endObject()
                }
            }
        }
        w.endArray()
    }

    /// The users of the forecast's hierarchy.
    private func writeForecastUsers(to w: inout JSONWriter) {
        w.key("users"); w.beginArray()
        for u in 0..<forecastUserCount {
            let name = random.personName(82, u)
            w.beginObject()
            w.field("userId", "\(332_800 + u)"); w.field("crmId", "005\(u)");
            w.field("email", random.email(for: name, index: u))
            w.field("name", name); w.field("hierarchyId", "h\(u % 4)"); w.field("hierarchyName", "Team \(u % 4)")
            w.field("parentHierarchyId", u % 4 == 0 ? nil : "h0");
            w.field("parentHierarchyName", u % 4 == 0 ? nil : "Team 0")
            w.field("scopeId", "scope-1")
            w.endObject()
        }
        w.endArray()
    }
}

extension String {
    var capitalized: String {
        split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
