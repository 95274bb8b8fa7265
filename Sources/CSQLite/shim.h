#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: turns off SQLite's memory statistics,
/// which take a global mutex on every allocation and free. Call before the first connection
/// opens (afterwards SQLite answers SQLITE_MISUSE and changes nothing).
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
