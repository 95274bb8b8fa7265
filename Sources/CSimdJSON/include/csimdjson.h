// A small C view of simdjson's DOM: parse a buffer once, then walk values by handle.
// Handles are plain 16-byte values that stay valid until the parser parses again.
#ifndef CSIMDJSON_H
#define CSIMDJSON_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct csj_parser csj_parser;

/// One JSON value inside the current document of a parser. `numbers` is the document's table
/// of numbers kept as text (NULL when it has none).
typedef struct { const void *doc; size_t index; const void *numbers; } csj_value;
/// Position inside an array or object being walked.
typedef struct { csj_value current; csj_value end; } csj_iter;

typedef enum {
    CSJ_NULL = 0, CSJ_BOOL = 1, CSJ_INT64 = 2, CSJ_UINT64 = 3, CSJ_DOUBLE = 4,
    CSJ_STRING = 5, CSJ_ARRAY = 6, CSJ_OBJECT = 7,
    /// A number neither int64, uint64 nor double holds exactly, kept as its JSON text.
    CSJ_DECIMAL = 8
} csj_type;

csj_parser *csj_parser_new(void);
void csj_parser_free(csj_parser *parser);

/// Parses `length` bytes. Returns 0 on success, else a simdjson error code; `message` names it.
/// Numbers that no int64, uint64 or double holds exactly become CSJ_DECIMAL values.
int csj_parse(csj_parser *parser, const char *bytes, size_t length, csj_value *root, const char **message);

csj_type csj_type_of(csj_value value);
bool csj_get_bool(csj_value value);
int64_t csj_get_int64(csj_value value);
uint64_t csj_get_uint64(csj_value value);
double csj_get_double(csj_value value);
/// The string's UTF-8 bytes (not NUL-terminated) and length.
const char *csj_get_string(csj_value value, size_t *length);
/// A CSJ_DECIMAL's literal, as written in the document (not NUL-terminated), and its length.
const char *csj_get_decimal(csj_value value, size_t *length);

/// Looks up a key of an object; false when absent or when `value` is not an object.
bool csj_object_find(csj_value object, const char *key, size_t key_length, csj_value *out);
size_t csj_count(csj_value container);

void csj_array_iter(csj_value array, csj_iter *iter);
bool csj_array_next(csj_iter *iter, csj_value *out);
void csj_object_iter(csj_value object, csj_iter *iter);
bool csj_object_next(csj_iter *iter, const char **key, size_t *key_length, csj_value *out);

/// Minified JSON text of a value, in a malloc'ed buffer the caller frees.
char *csj_to_json(csj_value value, size_t *length);

#ifdef __cplusplus
}
#endif
#endif
