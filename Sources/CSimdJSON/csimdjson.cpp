#include "csimdjson.h"
#if !__has_include(<simdjson.h>)
#error "simdjson.h not found: install the Debian package libsimdjson-dev (apt-get install libsimdjson-dev, or scripts/ensure-deps)"
#endif
#include <simdjson.h>
#include <cstring>
#include <cstdlib>
#include <string>
#include <new>

using namespace simdjson;

// dom::element, array::iterator and object::iterator each hold one internal tape_ref
// (document pointer + tape index); we copy them bit for bit into csj_value.
static_assert(sizeof(dom::element) == sizeof(csj_value), "element layout");
static_assert(sizeof(dom::array::iterator) == sizeof(csj_value), "array iterator layout");
static_assert(sizeof(dom::object::iterator) == sizeof(csj_value), "object iterator layout");

template <typename T> static inline T from(const csj_value &v) {
    T t; std::memcpy(static_cast<void *>(&t), &v, sizeof(T)); return t;
}
template <typename T> static inline csj_value to(const T &t) {
    csj_value v; std::memcpy(&v, static_cast<const void *>(&t), sizeof(T)); return v;
}

struct csj_parser { dom::parser parser; };

extern "C" {

csj_parser *csj_parser_new(void) { return new (std::nothrow) csj_parser(); }
void csj_parser_free(csj_parser *p) { delete p; }

int csj_parse(csj_parser *p, const char *bytes, size_t length, csj_value *root, const char **message) {
    dom::element element;
    auto error = p->parser.parse(bytes, length, true).get(element);
    if (error) { if (message) *message = error_message(error); return int(error); }
    *root = to(element);
    return 0;
}

csj_type csj_type_of(csj_value v) {
    switch (from<dom::element>(v).type()) {
    case dom::element_type::ARRAY: return CSJ_ARRAY;
    case dom::element_type::OBJECT: return CSJ_OBJECT;
    case dom::element_type::INT64: return CSJ_INT64;
    case dom::element_type::UINT64: return CSJ_UINT64;
    case dom::element_type::DOUBLE: return CSJ_DOUBLE;
    case dom::element_type::STRING: return CSJ_STRING;
    case dom::element_type::BOOL: return CSJ_BOOL;
    default: return CSJ_NULL;
    }
}

bool csj_get_bool(csj_value v) { bool b = false; (void)from<dom::element>(v).get_bool().get(b); return b; }
int64_t csj_get_int64(csj_value v) { int64_t i = 0; (void)from<dom::element>(v).get_int64().get(i); return i; }
uint64_t csj_get_uint64(csj_value v) { uint64_t u = 0; (void)from<dom::element>(v).get_uint64().get(u); return u; }
double csj_get_double(csj_value v) { double d = 0; (void)from<dom::element>(v).get_double().get(d); return d; }

const char *csj_get_string(csj_value v, size_t *length) {
    std::string_view s;
    if (from<dom::element>(v).get_string().get(s)) { *length = 0; return ""; }
    *length = s.size();
    return s.data();
}

bool csj_object_find(csj_value v, const char *key, size_t key_length, csj_value *out) {
    dom::object object;
    if (from<dom::element>(v).get_object().get(object)) return false;
    dom::element found;
    if (object.at_key(std::string_view(key, key_length)).get(found)) return false;
    *out = to(found);
    return true;
}

size_t csj_count(csj_value v) {
    auto e = from<dom::element>(v);
    dom::array a; dom::object o;
    if (!e.get_array().get(a)) return a.size();
    if (!e.get_object().get(o)) return o.size();
    return 0;
}

void csj_array_iter(csj_value v, csj_iter *it) {
    dom::array a;
    if (from<dom::element>(v).get_array().get(a)) { it->current = v; it->end = v; return; }
    it->current = to(a.begin());
    it->end = to(a.end());
}

bool csj_array_next(csj_iter *it, csj_value *out) {
    auto cur = from<dom::array::iterator>(it->current);
    auto end = from<dom::array::iterator>(it->end);
    if (!(cur != end)) return false;
    *out = to(*cur);
    ++cur;
    it->current = to(cur);
    return true;
}

void csj_object_iter(csj_value v, csj_iter *it) {
    dom::object o;
    if (from<dom::element>(v).get_object().get(o)) { it->current = v; it->end = v; return; }
    it->current = to(o.begin());
    it->end = to(o.end());
}

bool csj_object_next(csj_iter *it, const char **key, size_t *key_length, csj_value *out) {
    auto cur = from<dom::object::iterator>(it->current);
    auto end = from<dom::object::iterator>(it->end);
    if (!(cur != end)) return false;
    std::string_view k = cur.key();
    *key = k.data();
    *key_length = k.size();
    *out = to(cur.value());
    ++cur;
    it->current = to(cur);
    return true;
}

char *csj_to_json(csj_value v, size_t *length) {
    std::string s = simdjson::minify(from<dom::element>(v));
    char *buffer = static_cast<char *>(std::malloc(s.size() + 1));
    if (!buffer) { *length = 0; return nullptr; }
    std::memcpy(buffer, s.data(), s.size());
    buffer[s.size()] = 0;
    *length = s.size();
    return buffer;
}

}
