// core/text.cpp — UTF-8 validation and safe display of untrusted text (see text.hpp).
#include "text.hpp"

#include <algorithm>
#include <vector>

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

std::string printable_only(std::string_view text, size_t max_bytes) {
  std::string o;
  unsigned cp;
  for (size_t i = 0; i < text.size();) {
    const size_t n = sequence(text, i, &cp);
    if (n != 0 && !control(cp)) {
      if (o.size() + n > max_bytes) break;
      o.append(text.substr(i, n));
    }
    i += n ? n : 1;
  }
  return o;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string loose_key(std::string_view text) {
  std::string o;
  for (char c : text) {
    if (c == '-' || c == '_' || c == '.' || c == ' ' || c == '/') continue;
    o += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  return o;
}

std::string nearest_ids(std::string_view key, const std::vector<std::pair<std::string, std::string>>& candidates) {
  struct Hit {
    size_t distance, prefix;
    std::string id;
  };
  std::vector<Hit> hits;
  const size_t limit = std::max<size_t>(2, key.size() / 4);
  for (const auto& [k, id] : candidates) {
    const size_t d = edit_distance(key, k);
    if (d > limit) continue;
    size_t prefix = 0;
    while (prefix < key.size() && prefix < k.size() && key[prefix] == k[prefix]) ++prefix;
    hits.push_back({d, prefix, id});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.prefix > b.prefix;
  });
  std::string out;
  int n = 0;
  for (const Hit& h : hits) {
    if (h.distance != hits.front().distance || n == 3) break;
    if (out.find(h.id) != std::string::npos) continue;
    out += (n++ ? " or " : "") + h.id;
  }
  return out;
}

void percent_encode(std::string_view text, std::string& o) {
  static const char* hex = "0123456789ABCDEF";
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' || u == '~') {
      o += ch;
    } else {
      o += '%';
      o += hex[u >> 4];
      o += hex[u & 15];
    }
  }
}

}  // namespace llmcalc
