// Intentionally empty: simdjson's header is C++, included by CSimdJSON/csimdjson.cpp itself.
