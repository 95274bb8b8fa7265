// Numbers that neither a 64-bit integer nor a double holds exactly — ids above 2^64, literals
// with more digits than a double keeps, exponents beyond its range — found in a document and
// kept as their JSON text. A float literal stays a double when it round-trips: the nearest
// double, printed with the literal's number of significant digits, gives the literal back.
//
// simdjson's DOM rounds such a float silently and refuses such an integer (or 1e400) with an
// error for the whole document. After a parse, the literals are found from stage 1's
// structural indexes (one byte test per structural, the digits of each number), so ordinary
// documents pay a pass over an index array. When there are any, each one's double on the tape
// is replaced by a NaN whose payload numbers the literal: JSON has no NaN, so the mark is
// unambiguous, and the walk over values needs no side table to find them.
#ifndef CSIMDJSON_EXACT_NUMBERS_H
#define CSIMDJSON_EXACT_NUMBERS_H
#include <simdjson.h>
#include <cstdint>
#include <string>
#include <vector>

namespace csj {

/// Length of the number literal at `p` when a double or a 64-bit integer cannot hold its value
/// exactly, else 0. `p` points at `-` or a digit; the literal ends before `end` or at a non-number byte.
size_t inexact_number_length(const uint8_t *p, const uint8_t *end) noexcept;

/// The inexact number literals of the current document.
class exact_numbers {
public:
    /// Finds them in `bytes`, which stage 1 of `impl` has just indexed.
    void find(const simdjson::internal::dom_parser_implementation &impl, const uint8_t *bytes, size_t length);

    bool empty() const noexcept { return found.empty(); }

    /// `bytes` with each literal replaced by `0.0` and spaces: the same structure, parseable.
    void blank_into(const uint8_t *bytes, size_t length, std::vector<uint8_t> &copy) const;

    /// Marks each literal's double on the tape of `doc`, parsed from a text with the same
    /// structural indexes as `bytes`. False if the tape does not have a double where expected.
    bool mark(simdjson::dom::document &doc, const simdjson::internal::dom_parser_implementation &impl,
              const uint8_t *bytes) const noexcept;

    /// The literal a marked double stands for, or nullptr when `value` is an ordinary double.
    const char *text_of(double value, size_t *length) const noexcept;

    static bool is_mark(double value) noexcept;

private:
    struct literal {
        uint32_t structural;   // index into the structural indexes
        uint32_t offset;       // where it starts in the document
        uint32_t text_offset;  // where its text starts in `text`
        uint32_t length;
    };
    std::vector<literal> found;
    std::string text;
};

}  // namespace csj
#endif
