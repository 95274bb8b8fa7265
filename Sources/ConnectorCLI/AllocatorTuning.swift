import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// glibc allocator settings for a long load, applied when the process starts: at most two malloc
/// arenas (Swift's concurrency threads would otherwise spread freed memory over up to eight arenas
/// per core, none reusing another's), and blocks of 1 MB or more (response bodies, parser buffers,
/// large row batches) mapped on their own, so that freeing one gives its pages back at once instead
/// of raising the threshold and keeping them. Measured at sandbox scale 100 (bench/run 100): peak RSS
/// about 195 → 155 MB at the same CPU. A user's own `MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_`
/// wins: then nothing is changed. Off glibc (macOS) there is nothing to do.
enum AllocatorTuning {
    static let arenas: Int32 = 2
    static let mapThreshold: Int32 = 1 << 20
    /// glibc's `mallopt` parameters (malloc.h, which Swift's Glibc module does not import).
    static let arenaMaxParameter: Int32 = -8, mmapThresholdParameter: Int32 = -3

    /// True when both settings were taken.
    @discardableResult
    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        #if canImport(Glibc)
        guard environment["MALLOC_ARENA_MAX"] == nil, environment["MALLOC_MMAP_THRESHOLD_"] == nil,
            let symbol = dlsym(nil, "mallopt")
        else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(arenaMaxParameter, arenas) == 1 && mallopt(mmapThresholdParameter, mapThreshold) == 1
        #else
        return false
        #endif
    }
}
