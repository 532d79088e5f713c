// web/platform.h — everything the UI needs from its host, behind one tiny interface
// (CONVENTIONS.md §8). It lives beside its user (web/); the hosts implement it: the browser's is
// shell/platform_web.cpp (EM_JS), a native host would provide its own.
#pragma once
#include <string>

namespace platform {

// The URL fragment without '#', percent-escapes left as they are.
std::string get_fragment();
// Rewrites the fragment without adding a history entry (history.replaceState).
void set_fragment(const std::string& fragment);
// True once after the user changed the fragment by hand (hashchange); fills `fragment`.
bool take_fragment_change(std::string* fragment);
// The page's full URL with this fragment (what "Copy link" copies).
std::string link_for(const std::string& fragment);
// Puts text on the clipboard; false when the browser refused.
bool copy_to_clipboard(const std::string& text);
// Opens a page (relative URLs resolve against the site) in a new tab.
void open_url(const char* url);
// CSS pixel size of the drawing area.
void canvas_size(int* width, int* height);
// Device pixels per CSS pixel (2 on most laptops' screens).
float pixel_ratio();
// Saves `text` as a file the browser downloads (name, MIME type).
void download(const std::string& name, const std::string& mime, const std::string& text);
// Prints a plain-text report: the page's print view shows it instead of the canvas.
void print_report(const std::string& text);
// Opens the browser's file picker; the chosen file arrives like a dropped one.
void open_file_dialog();
// The page's text summary (verdict and key figures) for screen readers, search and copying: an
// HTML live region beside the canvas.
void set_summary(const std::string& text);
// Whether the system asks for light colours (prefers-color-scheme: light).
bool prefers_light();
// Touch: what the page's touch handlers queued since the last call (site/index.html turns a tap
// into pointer moves and presses, a swipe into scroll distance; the browser's own mouse emulation
// is off). `pointer` events are taken one per frame, so a press and its release land in different
// frames as Dear ImGui needs; `scroll_y` is all the swipe distance since the last call (CSS px,
// positive = content moves up).
struct TouchInput {
  bool active = false;      // the last pointer input was a touch: the pointer below overrides the mouse
  bool has_pointer = false;  // a pointer event was taken this frame
  float x = 0, y = 0;        // CSS px
  bool down = false;
  float scroll_y = 0;
};
TouchInput take_touch();
// The on-screen text field being edited (Dear ImGui's active text input), so the page can hold a
// real DOM <input> there: phone keyboards open for it, IME composes into it, and what it receives
// comes back as text (llmcalc_text_input). `editing` false releases it.
void set_text_input(bool editing, float x, float y, float height);
// Marks the moment the first estimate is on screen (for the load-time benchmark).
void mark_first_estimate();
// Fetches `url` in the page (only when the user asks); the answer arrives through the page's
// llmcalc_receive_fetch (bytes) or llmcalc_fetch_failed (HTTP status, 0 = unreachable), tagged
// with `tag`.
void fetch(const std::string& url, const std::string& tag);

}  // namespace platform
