// core/text.cpp — UTF-8 validation and safe display of untrusted text (see text.hpp).
#include "text.hpp"

namespace llmcalc {

namespace {
// Length of the well-formed UTF-8 sequence at s[i], or 0 when the bytes there are not one;
// *cp receives the code point.
size_t sequence(std::string_view s, size_t i, unsigned* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c0 = b(i);
  if (c0 < 0x80) { *cp = c0; return 1; }
  size_t n;
  unsigned v, min;
  if ((c0 & 0xE0) == 0xC0) { n = 2; v = c0 & 0x1F; min = 0x80; }
  else if ((c0 & 0xF0) == 0xE0) { n = 3; v = c0 & 0x0F; min = 0x800; }
  else if ((c0 & 0xF8) == 0xF0) { n = 4; v = c0 & 0x07; min = 0x10000; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool control(unsigned cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0); }
}  // namespace

bool valid_utf8(std::string_view text) {
  unsigned cp;
  for (size_t i = 0; i < text.size();) {
    const size_t n = sequence(text, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool printable_utf8(std::string_view text) {
  unsigned cp;
  for (size_t i = 0; i < text.size();) {
    const size_t n = sequence(text, i, &cp);
    if (n == 0 || control(cp)) return false;
    i += n;
  }
  return true;
}

std::string safe_text(std::string_view text, size_t max_bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string o;
  o.reserve(text.size() < max_bytes ? text.size() : max_bytes);
  unsigned cp;
  for (size_t i = 0; i < text.size();) {
    size_t n = sequence(text, i, &cp);
    const bool bad = n == 0 || control(cp);
    const size_t add = bad ? kReplacement.size() : n;
    if (o.size() + add > max_bytes) {
      o += "\xE2\x80\xA6 (" + std::to_string(text.size()) + " bytes)";
      return o;
    }
    if (bad) o += kReplacement;
    else o.append(text.substr(i, n));
    i += n ? n : 1;
  }
  return o;
}

}  // namespace llmcalc
