// shell/platform_web.cpp — the browser side of web/platform.h, as EM_JS functions. The page's
// JS (site/index.html) owns listeners (hashchange, drop, file input) and keeps their results in
// window.llmcalcHost, which these functions read.
#include <emscripten.h>

#include <cstdlib>

#include "web/platform.h"

namespace {

// Strings from JS come back as malloc'd UTF-8; take ownership into a std::string.
std::string take(char* p) {
  std::string s = p ? p : "";
  std::free(p);
  return s;
}

EM_JS(char*, js_get_fragment, (), {
  var h = window.location.hash || "";
  var s_ = h.charAt(0) === "#" ? h.substring(1) : h; var n_ = lengthBytesUTF8(s_) + 1; var p_ = _malloc(n_); stringToUTF8(s_, p_, n_); return p_;
});

EM_JS(void, js_set_fragment, (const char* f), {
  var frag = UTF8ToString(f);
  var url = window.location.pathname + window.location.search + "#" + frag;
  window.history.replaceState(null, "", url);
});

EM_JS(int, js_prefers_light, (), {
  return window.matchMedia && window.matchMedia("(prefers-color-scheme: light)").matches ? 1 : 0;
});

EM_JS(void, js_set_summary, (const char* t), {
  var el = document.getElementById("summary");
  if (el) el.textContent = UTF8ToString(t);
});

EM_JS(char*, js_take_fragment_change, (), {
  var host = window.llmcalcHost;
  if (!host || host.hashChanged === null) return 0;
  var h = host.hashChanged;
  host.hashChanged = null;
  var s_ = h; var n_ = lengthBytesUTF8(s_) + 1; var p_ = _malloc(n_); stringToUTF8(s_, p_, n_); return p_;
});

EM_JS(char*, js_link_for, (const char* f), {
  var u = window.location.href.split("#")[0];
  var s_ = u + "#" + UTF8ToString(f); var n_ = lengthBytesUTF8(s_) + 1; var p_ = _malloc(n_); stringToUTF8(s_, p_, n_); return p_;
});

EM_JS(int, js_copy, (const char* t), {
  var text = UTF8ToString(t);
  window.llmcalcHost && (window.llmcalcHost.lastCopied = text);
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function() {});
      return 1;
    }
  } catch (e) {}
  return 0;
});

EM_JS(void, js_open_url, (const char* u), { window.open(UTF8ToString(u), "_blank", "noopener"); });

EM_JS(int, js_canvas_w, (), { return window.innerWidth | 0; });
EM_JS(int, js_canvas_h, (), { return window.innerHeight | 0; });

EM_JS(double, js_pixel_ratio, (), { return window.devicePixelRatio || 1; });

EM_JS(void, js_open_file_dialog, (), {
  var input = document.getElementById("file-input");
  if (input) input.click();
});

EM_JS(void, js_fetch, (const char* u, const char* t), {
  if (window.llmcalcHost && window.llmcalcHost.fetch) window.llmcalcHost.fetch(UTF8ToString(u), UTF8ToString(t));
});

// The touch queue of site/index.html: flags 1 = touch owns the pointer, 2 = a pointer event was
// taken (x, y in out[0..1]), 4 = pressed; out[2] = swipe distance since the last call.
EM_JS(int, js_take_touch, (float* out), {
  var t = window.llmcalcHost && window.llmcalcHost.touch;
  if (!t) return 0;
  var flags = t.active ? 1 : 0;
  if (t.queue.length) {
    var e = t.queue.shift();
    flags |= 2;
    if (e.down) flags |= 4;
    HEAPF32[out >> 2] = e.x;
    HEAPF32[(out >> 2) + 1] = e.y;
  }
  HEAPF32[(out >> 2) + 2] = t.scroll;
  t.scroll = 0;
  return flags;
});

EM_JS(void, js_set_text_input, (int editing, float x, float y, float h), {
  if (window.llmcalcHost && window.llmcalcHost.textInput) window.llmcalcHost.textInput(!!editing, x, y, h);
});

EM_JS(void, js_download, (const char* n, const char* m, const char* t), {
  var blob = new Blob([UTF8ToString(t)], { type: UTF8ToString(m) });
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(n);
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  if (window.llmcalcHost) window.llmcalcHost.lastDownload = { name: a.download, text: UTF8ToString(t) };
});

EM_JS(void, js_print_report, (const char* t), {
  var el = document.getElementById("print-report");
  if (!el) return;
  el.textContent = UTF8ToString(t);
  if (window.llmcalcHost) window.llmcalcHost.printed = (window.llmcalcHost.printed || 0) + 1;
  window.print();
});

EM_JS(void, js_mark_first_estimate, (), {
  if (window.llmcalcHost && !window.llmcalcHost.firstEstimateMs)
    window.llmcalcHost.firstEstimateMs = performance.now();
});

}  // namespace

namespace platform {

std::string get_fragment() { return take(js_get_fragment()); }
bool prefers_light() { return js_prefers_light() != 0; }
void set_summary(const std::string& t) { js_set_summary(t.c_str()); }
void set_fragment(const std::string& f) { js_set_fragment(f.c_str()); }
bool take_fragment_change(std::string* f) {
  char* p = js_take_fragment_change();
  if (!p) return false;
  *f = take(p);
  return true;
}
std::string link_for(const std::string& f) { return take(js_link_for(f.c_str())); }
bool copy_to_clipboard(const std::string& t) { return js_copy(t.c_str()) != 0; }
void open_url(const char* u) { js_open_url(u); }
void canvas_size(int* w, int* h) {
  *w = js_canvas_w();
  *h = js_canvas_h();
}
float pixel_ratio() {
  const double r = js_pixel_ratio();
  return r >= 1 && r <= 4 ? float(r) : 1.0f;
}
void open_file_dialog() { js_open_file_dialog(); }
void download(const std::string& n, const std::string& m, const std::string& t) { js_download(n.c_str(), m.c_str(), t.c_str()); }
void print_report(const std::string& t) { js_print_report(t.c_str()); }
void mark_first_estimate() { js_mark_first_estimate(); }
TouchInput take_touch() {
  float v[3] = {0, 0, 0};
  const int flags = js_take_touch(v);
  TouchInput t;
  t.active = flags & 1;
  t.has_pointer = flags & 2;
  t.down = flags & 4;
  t.x = v[0];
  t.y = v[1];
  t.scroll_y = v[2];
  return t;
}
void set_text_input(bool editing, float x, float y, float h) { js_set_text_input(editing, x, y, h); }
void fetch(const std::string& url, const std::string& tag) { js_fetch(url.c_str(), tag.c_str()); }

}  // namespace platform
