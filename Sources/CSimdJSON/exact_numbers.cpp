#include "exact_numbers.h"
#include <charconv>
#include <cmath>
#include <cstring>

using namespace simdjson;

namespace csj {

namespace {

inline bool is_digit(uint8_t c) noexcept { return c >= '0' && c <= '9'; }

/// A decimal number as its significant digits (at most 17 kept) and the power of ten P such
/// that its value is 0.d1d2d3… × 10^P.
struct decimal_shape {
    char digits[17];
    size_t count = 0;        // significant digits, all of them (even past the 17 kept)
    long power = 0;
    bool zero = true;
};

/// Reads the digits and exponent of a literal written as `[-]int[.frac][e[+-]exp]`.
decimal_shape shape_of(const char *p, const char *end) noexcept {
    decimal_shape shape;
    long position = 0;             // digits read before the decimal point, so far
    long int_digits = -1;          // set at '.' or at the end of the digits
    long first = -1, last = -1;    // indexes of the first and last non-zero digit
    long index = 0;
    if (p < end && *p == '-') ++p;
    for (; p < end; ++p) {
        char c = *p;
        if (c == '.') { int_digits = position; continue; }
        if (c < '0' || c > '9') break;
        if (c != '0') {
            if (first < 0) first = index;
            // Zeros between significant digits are significant too.
            for (long z = last < 0 ? index : last + 1; z < index; ++z) {
                if (shape.count < 17) shape.digits[shape.count] = '0';
                ++shape.count;
            }
            if (shape.count < 17) shape.digits[shape.count] = c;
            ++shape.count;
            last = index;
        }
        ++index;
        if (int_digits < 0) ++position;
    }
    if (int_digits < 0) int_digits = position;
    long exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negative = false;
        if (p < end && (*p == '+' || *p == '-')) { negative = *p == '-'; ++p; }
        for (; p < end && *p >= '0' && *p <= '9'; ++p) {
            if (exponent < 100000000) exponent = exponent * 10 + (*p - '0');
        }
        if (negative) exponent = -exponent;
    }
    if (first < 0) return shape;
    shape.zero = false;
    shape.power = int_digits - first + exponent;
    return shape;
}

/// Whether the literal round-trips: the double nearest to it, printed with the literal's number
/// of significant digits, gives the same digits and exponent back (what a shortest or a %.17g
/// printer of that double would have written).
bool double_round_trips(const char *p, const char *end, const decimal_shape &literal) noexcept {
    double value = 0;
    auto parsed = std::from_chars(p, end, value);
    if (parsed.ec != std::errc() || !std::isfinite(value) || value == 0) return false;
    char buffer[40];   // d.dddddddddddddddde-308 at most
    auto printed = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific,
                                 int(literal.count) - 1);
    if (printed.ec != std::errc()) return false;
    const char *c = buffer;
    if (*c == '-') ++c;
    for (size_t i = 0; i < literal.count; ++i) {
        if (*c == '.') ++c;
        if (*c++ != literal.digits[i]) return false;
    }
    if (*c++ != 'e') return false;
    bool negative = *c == '-';
    ++c;   // the exponent's sign is always written
    long exponent = 0;
    for (; c < printed.ptr; ++c) exponent = exponent * 10 + (*c - '0');
    return (negative ? -exponent : exponent) + 1 == literal.power;
}

/// 2^63 for negative integers, 2^64 − 1 for positive ones: what int64 and uint64 reach.
bool integer_fits(const uint8_t *digits, size_t count, bool negative) noexcept {
    if (count <= 18) return true;
    if (negative) return count == 19 && std::memcmp(digits, "9223372036854775808", 19) <= 0;
    if (count == 19) return true;
    return count == 20 && std::memcmp(digits, "18446744073709551615", 20) <= 0;
}

/// Whether one of the first `count` (1…8) bytes of `word` is `e` or `E` (SWAR zero-byte test).
inline bool has_exponent_letter(uint64_t word, unsigned count) noexcept {
    uint64_t x = (word | 0x2020'2020'2020'2020ull) ^ 0x6565'6565'6565'6565ull;   // e, E → 0
    uint64_t zero = (x - 0x0101'0101'0101'0101ull) & ~x & 0x8080'8080'8080'8080ull;
    if (count < 8) zero &= (1ull << (8 * count)) - 1;
    return zero != 0;
}

/// Whether a number token of at most 16 bytes (`span` bytes from `p`: the token and the
/// whitespace before the next structural) is certainly exact: any integer that short fits
/// int64, and a float that short without an exponent has at most 15 significant digits.
inline bool short_and_plain(const uint8_t *p, unsigned span) noexcept {
    uint64_t low, high;
    std::memcpy(&low, p, 8);
    std::memcpy(&high, p + 8, 8);
    return !has_exponent_letter(low, span < 8 ? span : 8) && (span <= 8 || !has_exponent_letter(high, span - 8));
}

/// Bytes a number literal starts with: `-` and the digits.
constexpr struct number_starts {
    bool table[256] = {};
    constexpr number_starts() {
        table[uint8_t('-')] = true;
        for (int c = '0'; c <= '9'; ++c) table[c] = true;
    }
    constexpr bool operator[](uint8_t c) const { return table[c]; }
} starts_number;

constexpr uint64_t mark_bits = 0x7FFC'0000'0000'0000ull;   // a quiet NaN; the low 48 bits number the literal
constexpr uint64_t mark_mask = 0xFFFF'0000'0000'0000ull;

}  // namespace

size_t inexact_number_length(const uint8_t *p, const uint8_t *end) noexcept {
    const uint8_t *s = p;
    bool negative = s < end && *s == '-';
    if (negative) ++s;
    const uint8_t *int_start = s;
    while (s < end && is_digit(*s)) ++s;
    size_t int_digits = size_t(s - int_start);
    bool is_float = false;
    while (s < end && (is_digit(*s) || *s == '.' || *s == 'e' || *s == 'E' || *s == '+' || *s == '-')) {
        is_float = true;
        ++s;
    }
    size_t length = size_t(s - p);
    if (!is_float) return integer_fits(int_start, int_digits, negative) ? 0 : length;
    // The common float: few digits and no exponent cannot be inexact (15 significant digits
    // always round-trip through a double, and without an exponent the value is far from its limits).
    if (length <= 16) {
        bool exponent = false;
        for (const uint8_t *c = p; c < s; ++c) exponent |= (*c == 'e' || *c == 'E');
        if (!exponent) return 0;
    }
    const char *text = reinterpret_cast<const char *>(p);
    decimal_shape shape = shape_of(text, text + length);
    if (shape.zero) return 0;
    if (shape.count <= 15 && shape.power >= -306 && shape.power <= 308) return 0;
    if (shape.count > 17) return length;
    return double_round_trips(text, text + length, shape) ? 0 : length;
}

void exact_numbers::find(const internal::dom_parser_implementation &impl, const uint8_t *bytes, size_t length) {
    found.clear();
    text.clear();
    const uint32_t *indexes = impl.structural_indexes.get();
    uint32_t count = impl.n_structural_indexes;
    while (count > 0 && indexes[count - 1] >= length) --count;   // stage 1's end markers
    const uint8_t *end = bytes + length;
    for (uint32_t i = 0; i < count; ++i) {
        // Most structurals are punctuation or strings: four at a time, one table look-up each.
        while (i + 4 <= count && !(starts_number[bytes[indexes[i]]] | starts_number[bytes[indexes[i + 1]]] |
                                   starts_number[bytes[indexes[i + 2]]] | starts_number[bytes[indexes[i + 3]]])) {
            i += 4;
        }
        if (i >= count) break;
        uint32_t at = indexes[i];
        if (!starts_number[bytes[at]]) continue;
        uint32_t next = i + 1 < count ? indexes[i + 1] : uint32_t(length);
        if (next > at && next - at <= 16 && length - at >= 16 && short_and_plain(bytes + at, next - at)) continue;
        size_t n = inexact_number_length(bytes + at, end);
        if (n == 0) continue;
        if (n < 3) continue;   // cannot happen (see blank_into); kept out rather than mis-blanked
        found.push_back({i, at, uint32_t(text.size()), uint32_t(n)});
        text.append(reinterpret_cast<const char *>(bytes + at), n);
    }
}

void exact_numbers::blank_into(const uint8_t *bytes, size_t length, std::vector<uint8_t> &copy) const {
    copy.assign(bytes, bytes + length);
    copy.resize(length + SIMDJSON_PADDING, ' ');
    for (const literal &l : found) {
        // Every inexact literal has at least three bytes (19 digits, or an exponent, or 16 digits).
        std::memcpy(copy.data() + l.offset, "0.0", 3);
        std::memset(copy.data() + l.offset + 3, ' ', l.length - 3);
    }
}

bool exact_numbers::mark(dom::document &doc, const internal::dom_parser_implementation &impl,
                         const uint8_t *bytes) const noexcept {
    const uint32_t *indexes = impl.structural_indexes.get();
    uint64_t *tape = doc.tape.get();
    size_t tape_index = 1;   // after the root word
    size_t next = 0;
    for (uint32_t i = 0; i < impl.n_structural_indexes && next < found.size(); ++i) {
        uint8_t c = bytes[indexes[i]];
        if (i == found[next].structural) {
            if ((tape[tape_index] >> 56) != uint64_t('d')) return false;
            tape[tape_index + 1] = mark_bits | uint64_t(next);
            ++next;
        }
        // Tape words per structural: none for separators, two for numbers, one otherwise.
        if (c == ':' || c == ',') continue;
        tape_index += (is_digit(c) || c == '-') ? 2 : 1;
    }
    return next == found.size();
}

bool exact_numbers::is_mark(double value) noexcept {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & mark_mask) == mark_bits;
}

const char *exact_numbers::text_of(double value, size_t *length) const noexcept {
    if (!is_mark(value)) return nullptr;
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    uint64_t index = bits & ~mark_mask;
    if (index >= found.size()) return nullptr;
    *length = found[index].length;
    return text.data() + found[index].text_offset;
}

}  // namespace csj
