import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Hands the pages of freed heap memory back to the system (glibc's `malloc_trim`), called once a
/// large result's rows are written. Its rows are many small blocks: freed, glibc keeps their pages
/// in the arena they came from, and the next result, normalized on another thread, fills another
/// arena, so two results' worth stayed resident instead of one (scale 100: RSS after the forecast
/// exports ~100 MB instead of ~90, peaks up to 146 MB with one result at a time). It walks the
/// whole heap, so only results held within the `ResultBudget` call it. Off glibc (macOS) there is
/// nothing to do.
enum FreedMemory {
    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    /// Looked up at run time: Swift's Glibc module does not import malloc.h.
    private static let trim: Trim? = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    #endif

    static func giveBack() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
