// shell/cli.cpp — the `llmcalc` command-line tool over the core.
//
//   llmcalc estimate '<scenario or URL>' [--json] [--explain]
//   llmcalc models [--json]      llmcalc gpus [--json]
//   llmcalc bench [--iterations N]
//   llmcalc validate FILE… [--json] [--set NAME=VALUE]… [--fit-stdin]
//
// Errors: one message on stderr naming the problem, exit status 2 (usage) or 1 (bad input).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fstream>
#include <sstream>

#include "core/estimate.hpp"
#include "core/model_config.hpp"
#include "core/nccl_tests.hpp"
#include "core/profile.hpp"
#include "core/report.hpp"
#include "core/sweep.hpp"
#include "core/units.hpp"
#include "core/validation.hpp"

using namespace llmcalc;

namespace {

const char* kUsage =
    "usage: llmcalc estimate '<scenario or URL>' [--json|--markdown|--csv] [--explain] [--profile FILE] [--model-config FILE]\n"
    "       llmcalc compare '<A>' '<B>' [--json]      (or one link holding B and vs=A, as the page's compare view)\n"
    "       llmcalc profile check FILE\n"
    "       llmcalc profile import-nccl PROFILE NCCL_TESTS_OUTPUT... [--out FILE]\n"
    "       llmcalc models [--json]\n"
    "       llmcalc gpus [--json]\n"
    "       llmcalc bench [--iterations N]\n"
    "       llmcalc validate FILE... [--json] [--set NAME=VALUE]... [--fit-stdin]\n"
    "The scenario is the page's URL fragment, e.g. 'mode=infer&model=llama-3.1-8b&gpu=h100-sxm&batch=8'.\n";

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "llmcalc: %s\n%s", msg.c_str(), kUsage);
  return 2;
}

// Reads a file of at most `cap` bytes; a larger one is refused with its real size, unread.
bool read_capped(const std::string& path, size_t cap, const char* what, std::string* text) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) {
    std::fprintf(stderr, "llmcalc: cannot read %s '%s'\n", what, path.c_str());
    return false;
  }
  const std::streamoff size = f.tellg();  // the real size, also when it is over the cap
  if (size < 0 || size_t(size) > cap) {
    std::fprintf(stderr, "llmcalc: %s: the %s is %s; at most %s is accepted\n", path.c_str(), what,
                 format_bytes(double(size)).c_str(), format_bytes(double(cap)).c_str());
    return false;
  }
  f.seekg(0);
  text->assign(size_t(size), '\0');
  f.read(text->data(), std::streamsize(text->size()));
  text->resize(size_t(f.gcount()));
  return true;
}

// Reads and parses a profile file; prints the error and returns false on failure.
bool load_profile(const std::string& path, Profile* out) {
  std::string text;
  if (!read_capped(path, kMaxProfileBytes, "profile", &text)) return false;
  Result<Profile> p = parse_profile(text);
  if (!p) {
    std::fprintf(stderr, "llmcalc: %s: %s\n", path.c_str(), p.error().message.c_str());
    return false;
  }
  *out = std::move(p).value();
  return true;
}

// `profile import-nccl PROFILE FILE... [--out FILE]`: nccl-tests output into the profile's
// collectives; the result (to --out, else stdout) must read back as a profile.
int cmd_import_nccl(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string out;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--out") {
      if (i + 1 >= args.size()) return usage_error("--out needs a file");
      out = args[++i];
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.size() < 2) return usage_error("profile import-nccl: expected a profile and at least one nccl-tests output");
  Profile p;
  if (!load_profile(files[0], &p)) return 1;
  for (size_t i = 1; i < files.size(); ++i) {
    std::string text;
    if (!read_capped(files[i], kMaxNcclTestsBytes, "nccl-tests output", &text)) return 1;
    const std::string name = files[i].substr(files[i].find_last_of('/') + 1);
    Result<std::vector<CollectiveSample>> rows = parse_nccl_tests(text, name);
    if (!rows) {
      std::fprintf(stderr, "llmcalc: %s\n", rows.error().message.c_str());
      return 1;
    }
    std::fprintf(stderr, "llmcalc: imported %s\n", import_collectives(p, rows.value()).c_str());
  }
  const std::string json = write_profile(p) + "\n";
  if (Result<Profile> back = parse_profile(json); !back) {
    std::fprintf(stderr, "llmcalc: the profile with these collectives is not valid: %s\n", back.error().message.c_str());
    return 1;
  }
  if (out.empty()) {
    std::fputs(json.c_str(), stdout);
    return 0;
  }
  std::ofstream f(out, std::ios::binary);
  f << json;
  if (!f) {
    std::fprintf(stderr, "llmcalc: cannot write '%s'\n", out.c_str());
    return 1;
  }
  std::fprintf(stderr, "llmcalc: wrote %s\n", out.c_str());
  return 0;
}

int cmd_profile(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "import-nccl") return cmd_import_nccl(args);
  if (args.size() != 2 || args[0] != "check")
    return usage_error("profile: expected 'profile check FILE' or 'profile import-nccl PROFILE FILE... [--out FILE]'");
  Profile p;
  if (!load_profile(args[1], &p)) return 1;
  std::printf("%s: valid llmcalc GPU profile (schema_version %s)\n%s", args[1].c_str(), p.schema_version.c_str(),
              profile_summary(p).c_str());
  return 0;
}

// "name=value" into a fit parameter; prints the problem and returns false when it is not one.
bool set_param(FitParams& p, const std::string& item) {
  const size_t eq = item.find('=');
  double* dst = eq == std::string::npos ? nullptr : fit_param(p, item.substr(0, eq));
  char* end = nullptr;
  const double v = dst ? std::strtod(item.c_str() + eq + 1, &end) : 0;
  if (!dst || end == item.c_str() + eq + 1 || *end != '\0' || !(v >= 0) || !std::isfinite(v)) {
    std::fprintf(stderr, "llmcalc: --set: '%s' is not NAME=VALUE with a fit parameter (", item.c_str());
    for (int i = 0; i < fit_param_count(); ++i) std::fprintf(stderr, "%s%s", i ? " " : "", std::string(fit_param_name(i)).c_str());
    std::fprintf(stderr, ") and a number >= 0\n");
    return false;
  }
  *dst = v;
  return true;
}

// The validation suite: every record through the core; per-record and aggregate error. With
// --fit-stdin, each stdin line of NAME=VALUE pairs gives one JSON line of the records' errors
// (null where a record has a problem), for scripts/fit.
int cmd_validate(const std::vector<std::string>& args) {
  bool as_json = false, fit_stdin = false;
  FitParams fit = kFitted;
  std::vector<Record> records;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json") as_json = true;
    else if (args[i] == "--fit-stdin") fit_stdin = true;
    else if (args[i] == "--set" && i + 1 < args.size()) {
      if (!set_param(fit, args[++i])) return 2;
    } else if (args[i].rfind("--", 0) == 0) {
      return usage_error("validate: unknown option " + args[i]);
    } else {
      std::string text;
      if (!read_capped(args[i], 64 << 20, "records", &text)) return 1;
      Result<std::vector<Record>> r = parse_records(text, args[i]);
      if (!r) {
        std::fprintf(stderr, "llmcalc: %s\n", r.error().message.c_str());
        return 1;
      }
      for (Record& x : r.value()) records.push_back(std::move(x));
    }
  }
  if (records.empty()) return usage_error("validate: no records (give tests/validation/*.jsonl)");
  if (fit_stdin) {
    std::string line;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, stdin)) {
      line = buf;
      FitParams p = fit;
      std::istringstream items(line);
      std::string item;
      while (items >> item)
        if (!set_param(p, item)) return 2;
      std::string out = "[";
      for (size_t i = 0; i < records.size(); ++i) {
        const Outcome o = evaluate(records[i], p);
        char num[32];
        std::snprintf(num, sizeof num, "%.9g", o.error);
        out += (i ? "," : "") + (o.problem.empty() ? std::string(num) : std::string("null"));
      }
      std::printf("%s]\n", out.c_str());
      std::fflush(stdout);
    }
    return 0;
  }
  std::vector<Outcome> outcomes;
  for (const Record& r : records) outcomes.push_back(evaluate(r, fit));
  if (as_json) {
    std::printf("%s\n", validation_json(records, outcomes, 2).c_str());
    return 0;
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (!o.problem.empty()) {
      std::printf("%-58s %-22s PROBLEM: %s\n", records[i].id.c_str(), records[i].quantity.c_str(), o.problem.c_str());
      continue;
    }
    std::printf("%-58s %-22s measured %11.5g  predicted %11.5g  error %+6.1f%%%s%s\n", records[i].id.c_str(),
                records[i].quantity.c_str(), o.measured, o.predicted, o.error * 100, o.note.empty() ? "" : "  ",
                o.note.c_str());
  }
  std::printf("\n%-22s %5s %12s %12s %14s\n", "group", "n", "median |err|", "p90 |err|", "signed median");
  for (const Aggregate& a : aggregate(records, outcomes))
    std::printf("%-22s %5d %11.1f%% %11.1f%% %+13.1f%%\n", a.group.c_str(), a.n, a.median_abs * 100, a.p90_abs * 100,
                a.signed_median * 100);
  return 0;
}

int cmd_estimate(const std::vector<std::string>& args) {
  bool as_json = false, with_explain = false, as_markdown = false, as_csv = false;
  const std::string* text = nullptr;
  const std::string* profile_path = nullptr;
  const std::string* config_path = nullptr;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--profile") {
      if (i + 1 >= args.size()) return usage_error("--profile needs a file");
      profile_path = &args[++i];
    } else if (a == "--model-config") {
      if (i + 1 >= args.size()) return usage_error("--model-config needs a file");
      config_path = &args[++i];
    } else if (a == "--json") as_json = true;
    else if (a == "--markdown") as_markdown = true;
    else if (a == "--csv") as_csv = true;
    else if (a == "--explain") with_explain = true;
    else if (a.rfind("--", 0) == 0) return usage_error("unknown option '" + a + "'");
    else if (!text) text = &a;
    else return usage_error("more than one scenario given");
  }
  if (int(as_json) + int(as_markdown) + int(as_csv) > 1) return usage_error("give one of --json, --markdown, --csv");
  const std::string empty;
  Result<DecodedScenario> d = decode_scenario(text ? *text : empty);
  if (!d) {
    std::fprintf(stderr, "llmcalc: %s\n", d.error().message.c_str());
    return 1;
  }
  std::vector<std::string> notes = d->warnings;
  if (!d->compare.empty()) notes.push_back("vs=: this link compares with another scenario; `llmcalc compare` prints both");
  if (profile_path) {
    Profile p;
    if (!load_profile(*profile_path, &p)) return 1;
    const bool gpu_given = d->scenario.gpu != Scenario{}.gpu;
    for (auto& n : apply_profile(d.value().scenario, p, gpu_given)) notes.push_back(std::move(n));
  }
  if (config_path) {
    std::string text;
    if (!read_capped(*config_path, kMaxModelConfigBytes, "model config", &text)) return 1;
    Result<ModelConfig> mc = parse_model_config(text);
    if (!mc) {
      std::fprintf(stderr, "llmcalc: %s: %s\n", config_path->c_str(), mc.error().message.c_str());
      return 1;
    }
    Scenario& s = d.value().scenario;
    const auto chosen = s.dtype;  // a format given on the command line wins over the checkpoint's
    apply_model_config(s, mc.value());
    if (chosen) s.dtype = chosen;
    notes.push_back("model from " + mc->name);
  }
  Result<Estimate> e = estimate(d->scenario, with_explain ? Explain::yes : Explain::no);
  if (!e) {
    std::fprintf(stderr, "llmcalc: %s\n", e.error().message.c_str());
    return 1;
  }
  const Estimate& est = e.value();
  if (as_json) {
    std::printf("%s\n", estimate_json(d->scenario, est, notes).c_str());
  } else if (as_markdown) {
    std::printf("%s", estimate_markdown(d->scenario, est).c_str());
  } else if (as_csv) {
    std::printf("%s", estimate_csv(d->scenario, est).c_str());
  } else {
    std::printf("%s", estimate_text(d->scenario, est, notes).c_str());
    for (const auto& x : est.explain) {
      std::printf("  %s: %s  [%s]\n", x.id.c_str(), x.formula().c_str(), x.source.c_str());
      for (size_t i = 1; i < x.steps.size(); ++i) std::printf("      %s\n", x.steps[i].text.c_str());
    }
  }
  return 0;
}

// Two scenarios side by side: `compare A B`, or one link with vs=A (B is the link's own scenario).
int cmd_compare(const std::vector<std::string>& args) {
  bool as_json = false;
  std::vector<const std::string*> texts;
  for (const std::string& a : args) {
    if (a == "--json") as_json = true;
    else if (a.rfind("--", 0) == 0) return usage_error("compare: unknown option '" + a + "'");
    else texts.push_back(&a);
  }
  if (texts.empty() || texts.size() > 2) return usage_error("compare: expected two scenarios, or one link with vs=");
  auto read = [](const std::string& text, const char* which, DecodedScenario* out) {
    Result<DecodedScenario> d = decode_scenario(text);
    if (!d) {
      std::fprintf(stderr, "llmcalc: %s: %s\n", which, d.error().message.c_str());
      return false;
    }
    for (const std::string& w : d->warnings) std::fprintf(stderr, "llmcalc: %s: warning: %s\n", which, w.c_str());
    *out = d.value();
    return true;
  };
  DecodedScenario a, b;
  if (texts.size() == 2) {
    if (!read(*texts[0], "A", &a) || !read(*texts[1], "B", &b)) return 1;
  } else {
    if (!read(*texts[0], "B", &b)) return 1;
    if (b.compare.empty()) return usage_error("compare: the link has no vs= (the scenario to compare with)");
    if (!read(b.compare, "A (vs=)", &a)) return 1;
  }
  Result<Estimate> ea = estimate(a.scenario), eb = estimate(b.scenario);
  for (const auto* r : {&ea, &eb})
    if (!*r) {
      std::fprintf(stderr, "llmcalc: %s: %s\n", r == &ea ? "A" : "B", r->error().message.c_str());
      return 1;
    }
  std::printf("%s%s", as_json ? compare_json(a.scenario, ea.value(), b.scenario, eb.value()).c_str()
                              : compare_text(a.scenario, ea.value(), b.scenario, eb.value()).c_str(),
              as_json ? "\n" : "");
  return 0;
}

// Times estimates of the seed scenarios and a sweep; prints one line per measurement.
int cmd_bench(const std::vector<std::string>& args) {
  long iters = 200000;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--iterations" && i + 1 < args.size()) iters = std::atol(args[++i].c_str());
    else return usage_error("bench: unknown argument '" + args[i] + "'");
  }
  if (iters < 1) return usage_error("bench: --iterations must be >= 1");
  const char* scenarios[] = {
      "mode=infer&model=llama-7b&gpu=a100-40gb&batch=1&prompt=1024&gen=256&dtype=fp16",
      "mode=train&model=llama-13b&batch=1&seq=1024&flash=0",
      "mode=infer&model=mixtral-8x7b&gpu=h100-sxm&gpus=2&tp=2&batch=32",
      "mode=train&model=llama-3.1-70b&gpu=h100-sxm&gpus=64&tp=8&pp=2&zero=1&accum=8&recompute=selective",
  };
  using clock = std::chrono::steady_clock;
  volatile double sink = 0;
  for (const char* text : scenarios) {
    const Scenario s = decode_scenario(text)->scenario;
    const auto t0 = clock::now();
    for (long i = 0; i < iters; ++i) sink = sink + estimate(s)->memory.total;
    const double per = std::chrono::duration<double>(clock::now() - t0).count() / iters;
    std::printf("estimate  %9.3f us  %s\n", per * 1e6, text);
  }
  {
    const Scenario s = decode_scenario(scenarios[0])->scenario;
    const auto t0 = clock::now();
    long n = 0;
    for (; n < iters / 1000 + 1; ++n) sink = sink + decode_scenario(scenarios[3])->scenario.batch;
    const double per = std::chrono::duration<double>(clock::now() - t0).count() / n;
    std::printf("decode    %9.3f us  (scenario string -> Scenario)\n", per * 1e6);
    const Resolved r = resolve(s).value();
    const int reps = 20;
    const auto t1 = clock::now();
    for (int i = 0; i < reps; ++i) {
      SweepResult sw = sweep(s, r, SweepAxis::batch, 1, 16384, 16384);
      sink = sink + sw.points.back().memory_total_bytes;
    }
    const double per_sweep = std::chrono::duration<double>(clock::now() - t1).count() / reps;
    std::printf("sweep     %9.3f ms  (16,384 batch sizes, one estimate each)\n", per_sweep * 1e3);
  }
  return sink == -1 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  const bool as_json = args.size() == 1 && args[0] == "--json";
  if (cmd == "estimate") return cmd_estimate(args);
  if (cmd == "compare") return cmd_compare(args);
  if (cmd == "models" && (args.empty() || as_json)) {
    std::fputs(as_json ? (models_json() + "\n").c_str() : models_text().c_str(), stdout);
    return 0;
  }
  if (cmd == "gpus" && (args.empty() || as_json)) {
    std::fputs(as_json ? (gpus_json() + "\n").c_str() : gpus_text().c_str(), stdout);
    return 0;
  }
  if (cmd == "bench") return cmd_bench(args);
  if (cmd == "validate") return cmd_validate(args);
  if (cmd == "profile") return cmd_profile(args);
  return usage_error("unknown command or arguments: '" + cmd + "'");
}
