// web/app.hpp — the page's application state and its frame function. It owns the Scenario the
// user edits, asks core for the Estimate (and the sweeps behind the charts) only when the
// scenario changes, and draws. It never computes a figure itself (CONVENTIONS.md §1).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/estimate.hpp"
#include "core/compare.hpp"
#include "core/sweep.hpp"
#include "core/verdict.hpp"
#include "web/chart.hpp"

namespace web {

// A table of figures (web/panel_results.cpp): its columns and rows.
struct FigureColumn {
  const char* name;
  bool optional = false;  // left out when a phone's width is too narrow for it
  bool dim = false;       // secondary text
};
struct FigureRow {
  std::string label;
  std::vector<std::string> cells;  // one per column after the label
  const char* id = nullptr;        // the figure's explanation
  ImU32 color = 0;                 // the label's colour (0: the text colour)
  ImU32 last_color = 0;            // the last cell's colour (0: the column's)
};

class App {
 public:
  // Reads a link (URL fragment). A malformed link keeps what could be read, falls back to the
  // defaults for the rest, and leaves a message on screen naming the problem.
  void apply_link(const std::string& fragment);
  // One frame: draw everything in a window of this size; edits recompute and rewrite the URL.
  void frame(float width, float height);

  // A file dropped on the page or chosen with "Import profile": a GPU profile. A bad file shows
  // its error and changes nothing.
  void begin_file(const std::string& name);
  void receive_file(const std::string& name, std::string_view bytes);
  void reject_file(const std::string& name, size_t bytes);  // over the size cap: never read
  // A model's config.json from the Hugging Face Hub (asked for in the model panel), or why not.
  void receive_hub_config(const std::string& id, std::string_view bytes);
  void hub_failed(const std::string& id, int status);
  enum class FileState { idle, pending, ok, failed };
  FileState file_state() const { return file_state_; }
  const std::string& file_message() const { return file_message_; }
  int file_attempts() const { return file_attempts_; }  // files and fetches begun so far (tests)

  const std::string& scenario_text() const { return text_; }
  // What the address bar holds: the scenario, and the pinned one (vs=) when comparing.
  std::string fragment() const;
  // The messages about the last link opened, as shown on the page (empty when it was clean).
  const std::vector<std::string>& link_notes() const { return link_notes_; }
  // The figure whose formula tooltip the last frame showed ("" if none) and its text (tests).
  const std::string& tooltip_id() const { return tooltip_id_; }
  const std::string& tooltip_text() const { return tooltip_text_; }
  // Rectangle (x, y, w, h in CSS pixels) of a named widget drawn in the last frame (tests).
  bool widget_rect(const std::string& name, float out[4]) const;

 private:
  // The scenario the page shows; the address bar follows unless write_address is false (a link
  // with problems stays visible as pasted until the user acts).
  void set_scenario(const llmcalc::Scenario& s, bool write_address = true);
  void recompute();
  void track(const char* name);
  void draw_header(float width);
  void draw_inputs();
  void draw_results(float width);
  void draw_verdict();
  void draw_fixes(bool over);
  // The verdict in words (fits / tight / does not fit, or why there is none) and the page's text
  // summary for screen readers (platform::set_summary).
  std::string verdict_text(int* kind) const;  // kind: 0 fits, 1 tight, 2 does not fit, 3 not what was asked
  void update_summary();
  void draw_cost();
  void draw_compare(float width);
  void draw_export();  // A (pinned) beside B (the scenario on screen), with the changes
  void pin(const llmcalc::Scenario& a);
  void draw_serving(float col);
  void figure_table(const char* id, const std::vector<FigureColumn>& columns, const std::vector<FigureRow>& rows, float width);
  void draw_memory_bar(float width);
  void draw_charts(float width);
  void build_charts();  // chart data from the sweeps, once per recompute (not per frame)
  void explained(const char* id);  // formula tooltip of a figure when it is hovered
  void draw_profile();
  void draw_hub_fetch();
  void apply_config(const std::string& source, std::string_view bytes, const std::string& name);

  llmcalc::Scenario scenario_;
  std::string text_;  // encode_scenario(scenario_), what the URL holds
  bool ok_ = false;
  llmcalc::Estimate est_;
  std::vector<llmcalc::Fix> fixes_;  // what makes it fit (or roomier), when it does not (or is tight)
  std::string error_;                      // why there is no estimate
  std::vector<std::string> link_notes_;    // problems of the last link opened
  bool link_had_errors_ = false;
  bool have_scenario_ = false;  // a scenario is on screen (links opened later keep its values where they are bad)
  bool keep_address_ = false;   // the address bar still shows a pasted link with problems
  std::string not_asked_;       // the link's model or GPU is unknown: what is shown is not what it asked
  // compare: the pinned scenario A and its estimate (B is the scenario on screen)
  bool pinned_ = false;
  llmcalc::Scenario pinned_scenario_;
  llmcalc::Estimate pinned_est_;
  llmcalc::SweepResult batch_sweep_, context_sweep_;
  int chart_axis_ = 0;  // 0 = batch, 1 = context
  std::vector<ChartSpec> charts_[2];  // per axis: memory, latency, (TTFT), throughput
  bool first_done_ = false;
  char model_filter_[64] = {};
  char gpu_filter_[64] = {};
  char hub_id_[128] = {};  // the Hugging Face id typed in the model panel
  bool hub_status_ = false;  // the file state is about a Hub fetch (shown by the model panel)
  std::vector<std::pair<std::string, std::vector<float>>> rects_, rects_next_;
  FileState file_state_ = FileState::idle;
  int file_attempts_ = 0;
  std::string file_message_;
  std::vector<std::string> profile_changes_;  // "TTFT 19.6 ms → 21.2 ms", after an import
  std::string tooltip_id_, tooltip_text_, tooltip_next_;
  bool copied_ok_ = false;
  double copied_at_ = -10;
};

}  // namespace web
