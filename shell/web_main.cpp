// shell/web_main.cpp — the WebAssembly program: SDL2 window + WebGL2 context, Dear ImGui, the
// app's frame loop, and the C entry points behind the page's JavaScript hook
// (window.llmcalc, DESIGN.md §4). The JSON the hook returns is built by the same core function
// as `llmcalc estimate --json`, so the page and the CLI print identical numbers.
#include <SDL.h>
#include <SDL_opengles2.h>
#include <emscripten.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "core/report.hpp"
#include "core/sweep.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // touch scrolling: the hovered window and SetScrollY(window); the IME position
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "web/platform.h"
#include "web/app.hpp"
#include "web/layout_check.hpp"
#include "web/font_data.h"
#include "web/widgets.hpp"

namespace {
SDL_Window* g_window = nullptr;
SDL_GLContext g_gl = nullptr;
web::App g_app;
std::string g_out;  // storage for strings handed to JS (valid until the next call)

void style() {
  web::apply_theme(platform::prefers_light());
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowPadding = ImVec2(14, 12);
  st.FramePadding = ImVec2(8, 4);
  st.ItemSpacing = ImVec2(8, 6);
  st.FrameRounding = 4;
  st.GrabRounding = 4;
  st.ChildRounding = 4;
  st.PopupRounding = 4;
}

// Touch (platform::take_touch): the page's handlers stop the browser's and SDL's own touch
// handling, so a finger drives Dear ImGui's pointer here, after the SDL backend set it from the
// mouse: a tap is a move, a press and a release in three frames; a swipe scrolls the scrollable
// window under the finger.
struct Touch {
  float x = -FLT_MAX, y = -FLT_MAX;
  bool down = false;
} g_touch;

float touch_pointer() {
  const platform::TouchInput t = platform::take_touch();
  if (t.has_pointer) {
    g_touch.x = t.x;
    g_touch.y = t.y;
    g_touch.down = t.down;
  }
  if (t.active) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(g_touch.x, g_touch.y);
    io.MouseDown[0] = g_touch.down;
  }
  return t.scroll_y;
}

void touch_scroll(float dy) {
  if (dy == 0) return;
  ImGuiWindow* w = GImGui->HoveredWindow;
  while (w && w->ScrollMax.y <= 0 && w->ParentWindow && (w->Flags & ImGuiWindowFlags_ChildWindow)) w = w->ParentWindow;
  if (w && w->ScrollMax.y > 0) ImGui::SetScrollY(w, ImClamp(w->Scroll.y + dy, 0.0f, w->ScrollMax.y));
}

// The DOM text input follows Dear ImGui's active text field (platform::set_text_input).
void follow_text_input() {
  static bool editing = false;
  static ImVec2 at(0, 0);
  const ImGuiContext& g = *GImGui;
  const bool now = g.WantTextInputNextFrame == 1;
  if (now == editing && (!now || (std::fabs(at.x - g.PlatformImePos.x) < 0.5f && std::fabs(at.y - g.PlatformImePos.y) < 0.5f)))
    return;
  editing = now;
  at = g.PlatformImePos;
  platform::set_text_input(editing, at.x, at.y, g.FontSize);
}

// Dear ImGui 1.86 reads keys as held or not once per frame, so a key pressed and released
// within one frame (a quick tap, a script, a slow frame) would be lost: a release whose press
// came in the same frame waits for the next one.
std::vector<SDL_Event> g_deferred;

void poll_events() {
  std::vector<SDL_Event> later;
  std::vector<SDL_Scancode> pressed;
  auto process = [&](const SDL_Event& ev) {
    if (ev.type == SDL_KEYUP && std::find(pressed.begin(), pressed.end(), ev.key.keysym.scancode) != pressed.end()) {
      later.push_back(ev);
      return;
    }
    if (ev.type == SDL_KEYDOWN) pressed.push_back(ev.key.keysym.scancode);
    ImGui_ImplSDL2_ProcessEvent(&ev);
  };
  std::vector<SDL_Event> now;
  now.swap(g_deferred);
  for (const SDL_Event& ev : now) process(ev);
  SDL_Event ev;
  while (SDL_PollEvent(&ev)) process(ev);
  g_deferred = std::move(later);
}

void frame() {
  poll_events();
  int w = 0, h = 0;
  platform::canvas_size(&w, &h);
  int cw = 0, ch = 0;
  SDL_GetWindowSize(g_window, &cw, &ch);
  if (w > 0 && h > 0 && (w != cw || h != ch)) SDL_SetWindowSize(g_window, w, h);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  const float swipe = touch_pointer();
  ImGui::NewFrame();
  touch_scroll(swipe);
  const ImGuiIO& io = ImGui::GetIO();
  g_app.frame(io.DisplaySize.x, io.DisplaySize.y);
  ImGui::Render();
  follow_text_input();
  SDL_GL_MakeCurrent(g_window, g_gl);
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x), int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}
}  // namespace

extern "C" {

// window.llmcalc.estimate(text): the CLI's `estimate --json` output, or {"error": message}.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_estimate_json(const char* text) {
  using namespace llmcalc;
  Result<DecodedScenario> d = decode_scenario(text ? text : "");
  Result<Estimate> e = d ? estimate(d->scenario) : Result<Estimate>(d.error());
  if (!e) {
    g_out = "{\"error\": " + json_quote(e.error().message) + "}";
  } else {
    g_out = estimate_json(d->scenario, e.value(), d->warnings);
  }
  return g_out.c_str();
}

// The page's touch handler: is (x, y) in a text field (then it focuses its DOM input at once, in
// the user's gesture, so a phone's keyboard opens)?
EMSCRIPTEN_KEEPALIVE int llmcalc_text_field_at(double x, double y) { return web::text_field_at(float(x), float(y)) ? 1 : 0; }
// Text typed into the DOM input (phone keyboards, IME): into the active Dear ImGui text field.
EMSCRIPTEN_KEEPALIVE void llmcalc_text_input(const char* utf8) {
  if (utf8) ImGui::GetIO().AddInputCharactersUTF8(utf8);
}

// window.llmcalc.clipped(): what the last frame drew that did not fit (web/layout_check.hpp).
EMSCRIPTEN_KEEPALIVE const char* llmcalc_clipped() {
  g_out = "[";
  for (const std::string& c : web::clipped_items()) g_out += (g_out.size() > 1 ? ", " : "") + llmcalc::json_quote(c);
  g_out += "]";
  return g_out.c_str();
}

// window.llmcalc.theme(): "light" or "dark", the colours on screen.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_theme() { return web::g_light ? "light" : "dark"; }

// window.llmcalc.scenario(): the page's current canonical scenario string.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_current_scenario() {
  g_out = g_app.scenario_text();
  return g_out.c_str();
}

// window.llmcalc.notes(): the link messages on screen, one per line.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_link_notes() {
  g_out.clear();
  for (const std::string& n : g_app.link_notes()) g_out += n + "\n";
  return g_out.c_str();
}

// The page's drop / file-input handlers: a file is being read, then its bytes.
EMSCRIPTEN_KEEPALIVE void llmcalc_file_pending(const char* name) { g_app.begin_file(name ? name : "file"); }
EMSCRIPTEN_KEEPALIVE void llmcalc_receive_file(const char* name, const char* data, int size) {
  g_app.receive_file(name ? name : "file", std::string_view(data, size > 0 ? size_t(size) : 0));
}
EMSCRIPTEN_KEEPALIVE void llmcalc_reject_file(const char* name, double size) {
  g_app.reject_file(name ? name : "file", size_t(size));
}
// A config fetched from the Hugging Face Hub (platform::fetch), or why not.
EMSCRIPTEN_KEEPALIVE void llmcalc_receive_fetch(const char* tag, const char* data, int size) {
  g_app.receive_hub_config(tag ? tag : "", std::string_view(data, size > 0 ? size_t(size) : 0));
}
EMSCRIPTEN_KEEPALIVE void llmcalc_fetch_failed(const char* tag, int status) { g_app.hub_failed(tag ? tag : "", status); }
// window.llmcalc.profileStatus(): {"state": "idle|pending|ok|failed", "message": …}
EMSCRIPTEN_KEEPALIVE const char* llmcalc_profile_status() {
  static const char* names[] = {"idle", "pending", "ok", "failed"};
  g_out = "{\"state\": \"" + std::string(names[int(g_app.file_state())]) + "\", \"message\": " +
          llmcalc::json_quote(g_app.file_message()) + ", \"attempts\": " + std::to_string(g_app.file_attempts()) + "}";
  return g_out.c_str();
}

// window.llmcalc.tooltip(): {"id": figure, "formula": text} of the formula tooltip on screen.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_tooltip() {
  g_out = "{\"id\": " + llmcalc::json_quote(g_app.tooltip_id()) + ", \"formula\": " +
          llmcalc::json_quote(g_app.tooltip_text()) + "}";
  return g_out.c_str();
}

// Test hook: "x,y,w,h" of a named widget in CSS pixels, or "" when it was not drawn.
EMSCRIPTEN_KEEPALIVE const char* llmcalc_widget_rect(const char* name) {
  float r[4];
  g_out.clear();
  if (g_app.widget_rect(name ? name : "", r)) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.1f,%.1f,%.1f,%.1f", r[0], r[1], r[2], r[3]);
    g_out = buf;
  }
  return g_out.c_str();
}

// Benchmarks (scripts/bench): seconds per estimate, and per 16,384-point sweep.
EMSCRIPTEN_KEEPALIVE double llmcalc_bench_estimate(const char* text, int n) {
  using namespace llmcalc;
  const Scenario s = decode_scenario_lenient(text).scenario;
  volatile double sink = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    Result<Estimate> e = estimate(s);
    sink = sink + (e ? e->memory.total : 0);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
}

EMSCRIPTEN_KEEPALIVE double llmcalc_bench_sweep(const char* text, int points) {
  using namespace llmcalc;
  const Scenario s = decode_scenario_lenient(text).scenario;
  Result<Resolved> r = resolve(s);
  if (!r) return -1;
  const auto t0 = std::chrono::steady_clock::now();
  SweepResult sw = sweep(s, r.value(), SweepAxis::batch, 1, points, points);
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sw.points.size() == size_t(points) ? t : -1;
}

}  // extern "C"

int main() {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  int w = 1280, h = 800;
  platform::canvas_size(&w, &h);
  // SDL sets document.title from the window title.
  g_window = SDL_CreateWindow("llmcalc — LLM GPU memory and speed calculator", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                              SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  g_gl = g_window ? SDL_GL_CreateContext(g_window) : nullptr;
  if (!g_gl) {
    std::fprintf(stderr, "WebGL2 is not available: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no filesystem on the web
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // arrow keys, Space and Enter reach every control
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0394, 0x03C9, 0x2013, 0x2026, 0x2190, 0x2193,
                                   0x2211, 0x2265, 0x2308, 0x230B, 0x25B2, 0x25BC, 0x2713, 0x2717, 0};
  // Rasterise the font at the screen's pixel density and draw it scaled back, so text stays sharp
  // where SDL renders the canvas at device resolution (high-DPI screens).
  const float dpr = platform::pixel_ratio();
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(web::kFontData), int(web::kFontSize), 16.0f * dpr, &cfg, ranges);
  io.FontGlobalScale = 1.0f / dpr;
  style();
  ImGui_ImplSDL2_InitForOpenGL(g_window, g_gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  g_app.apply_link(platform::get_fragment());
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
