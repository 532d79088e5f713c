// tests/shell/cli_test.cpp — the `llmcalc` binary itself: exit codes, stderr, stdout JSON.
#include <catch2/catch.hpp>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {
struct Run {
  int status;
  std::string out;  // stdout, or stderr when asked
};
// Runs the CLI with a shell-quoted argument string; `err` captures stderr instead of stdout.
Run run(const std::string& args, bool err = false) {
  const std::string cmd = std::string("'") + LLMCALC_CLI_PATH + "' " + args + (err ? " 2>&1 >/dev/null" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}
}  // namespace

TEST_CASE("cli: estimate --json prints the contract JSON") {
  const Run r = run("estimate 'mode=train&model=llama-13b&batch=1&seq=1024&precision=mixed&optimizer=adamw&recompute=none&flash=0' --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["memory"]["optimizer"].get<double>() == Approx(156e9).epsilon(0.03));
}

TEST_CASE("cli: a whole URL is accepted") {
  const Run r = run("estimate 'http://127.0.0.1:8000/#model=llama-7b&gpu=a100-40gb' --json");
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out)["scenario"] == "v=1&model=llama-7b&gpu=a100-40gb");
}

TEST_CASE("cli: a bad value exits non-zero and names the key") {
  const Run r = run("estimate 'mode=train&batch=-1'", true);
  CHECK(r.status == 1);
  CHECK(r.out.find("batch") != std::string::npos);
}

TEST_CASE("cli: an unknown key is a warning, and the estimate is still printed") {
  const Run r = run("estimate 'foo=1' --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["warnings"].size() == 1);
  CHECK(j["warnings"][0].get<std::string>().find("foo") != std::string::npos);
  CHECK(j["memory"]["total"].get<double>() > 0);
}

TEST_CASE("cli: unknown presets and usage errors") {
  const Run g = run("estimate 'gpu=nope'", true);
  CHECK(g.status == 1);
  CHECK(g.out.find("gpu: unknown GPU 'nope'") != std::string::npos);
  CHECK(run("frobnicate", true).status == 2);
  CHECK(run("estimate x=1 --yaml", true).status == 2);
}

TEST_CASE("cli: models and gpus list the presets") {
  const Run m = run("models");
  CHECK(m.status == 0);
  CHECK(m.out.find("llama-3.1-405b") != std::string::npos);
  const Run g = run("gpus --json");
  CHECK(g.status == 0);
  CHECK(nlohmann::json::parse(g.out).size() >= 12);
}

TEST_CASE("cli: the preset tables stay aligned however long a name is") {
  for (const char* cmd : {"models", "gpus"}) {
    const Run r = run(cmd);
    REQUIRE(r.status == 0);
    // every row's third column (params / memory) ends where the header's does
    std::istringstream lines(r.out);
    std::string header, row;
    std::getline(lines, header);
    const size_t end = header.find(cmd == std::string("models") ? "params" : "memory") + 6;
    while (std::getline(lines, row)) {
      INFO(row);
      CHECK(row.size() > end);
      CHECK(row[end - 1] != ' ');
      CHECK(row[end] == ' ');
    }
  }
}

TEST_CASE("cli: the human table") {
  const Run r = run("estimate 'model=llama-7b&gpu=a100-40gb' --explain");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("kv cache") != std::string::npos);
  CHECK(r.out.find("memory.kv_cache:") != std::string::npos);
}

namespace {
const std::string kFixture = std::string("'") + LLMCALC_SOURCE_DIR + "/tests/fixtures/synthetic-h100-profile.json'";
}

TEST_CASE("cli: profile check accepts a valid profile and prints its summary") {
  const Run r = run("profile check " + kFixture);
  CHECK(r.status == 0);
  CHECK(r.out.find("valid llmcalc GPU profile") != std::string::npos);
  CHECK(r.out.find("bf16") != std::string::npos);
  CHECK(r.out.find("% of 3.35 TB/s") != std::string::npos);
}

TEST_CASE("cli: profile import-nccl adds nccl-tests results to a profile's collectives") {
  const std::string dir = LLMCALC_BUILD_DIR, src = LLMCALC_SOURCE_DIR;
  const std::string out = dir + "/imported-profile.json";
  const std::string samples = "'" + src + "/tests/fixtures/nccl-tests-all_reduce_perf-8gpu-format-sample.txt' '" + src +
                              "/tests/fixtures/nccl-tests-all_gather_perf-8gpu-format-sample.txt'";
  const Run r = run("profile import-nccl " + kFixture + " " + samples + " --out '" + out + "'", true);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("imported all_reduce over 8 GPUs: 31 sizes") != std::string::npos);
  CHECK(r.out.find("imported all_gather over 8 GPUs: 31 sizes") != std::string::npos);
  const Run check = run("profile check '" + out + "'");
  REQUIRE(check.status == 0);
  CHECK(check.out.find("nccl      all_reduce over 8 GPUs: 22.0 \xC2\xB5s at small sizes") != std::string::npos);
  // the estimate uses it: a TP=8 all-reduce at the imported curve
  const Run e = run("estimate 'model=llama-3.1-70b&gpus=8&tp=8' --explain --profile '" + out + "'");
  CHECK(e.out.find("nccl-tests-all_reduce_perf-8gpu-format-sample.txt") == std::string::npos);  // file names stay in the profile
  CHECK(e.out.find("all_reduce of") != std::string::npos);
  // to stdout without --out; usage and unreadable outputs are errors
  CHECK(nlohmann::json::parse(run("profile import-nccl " + kFixture + " " + samples).out)["collectives"].size() == 62);
  CHECK(run("profile import-nccl " + kFixture, true).status == 2);
  const Run bad = run("profile import-nccl " + kFixture + " " + kFixture, true);
  CHECK(bad.status == 1);
  CHECK(bad.out.find("no column header naming size, time and busbw") != std::string::npos);
}

TEST_CASE("cli: profile check rejects malformed files with a message") {
  const std::string dir = LLMCALC_BUILD_DIR;
  const Run missing = run("profile check '" + dir + "/no-such-profile.json'", true);
  CHECK(missing.status == 1);
  CHECK(missing.out.find("cannot read profile") != std::string::npos);
  FILE* f = std::fopen((dir + "/broken-profile.json").c_str(), "w");
  std::fputs("{\"schema\": \"llmcalc.gpu-profile\", \"schema_version\": \"9.0\"}", f);
  std::fclose(f);
  const Run v9 = run("profile check '" + dir + "/broken-profile.json'", true);
  CHECK(v9.status == 1);
  CHECK(v9.out.find("schema_version 9.0 is not supported") != std::string::npos);
  f = std::fopen((dir + "/broken-profile.json").c_str(), "w");
  std::fputs("not json", f);
  std::fclose(f);
  CHECK(run("profile check '" + dir + "/broken-profile.json'", true).out.find("not valid JSON") != std::string::npos);
}

TEST_CASE("cli: --profile changes calibrated times, and its link reproduces them without the file") {
  const std::string s = "'model=llama-3.1-8b&batch=8'";
  const auto plain = nlohmann::json::parse(run("estimate " + s + " --json").out);
  const Run r = run("estimate " + s + " --json --profile " + kFixture);
  REQUIRE(r.status == 0);
  const auto with = nlohmann::json::parse(r.out);
  CHECK(with["time"]["ttft_s"] != plain["time"]["ttft_s"]);
  CHECK(with["time"]["tpot_s"] != plain["time"]["tpot_s"]);
  const std::string link = with["scenario"].get<std::string>();
  CHECK(link.find("prof=1~") != std::string::npos);
  const auto again = nlohmann::json::parse(run("estimate '" + link + "' --json").out);
  CHECK(again["time"] == with["time"]);
  CHECK(again["memory"] == with["memory"]);
}

TEST_CASE("cli: --model-config estimates a model from its config.json") {
  const std::string dir = LLMCALC_BUILD_DIR;
  FILE* f = std::fopen((dir + "/config.json").c_str(), "w");
  std::fputs(R"({"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32,
    "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256, "tie_word_embeddings": false})", f);
  std::fclose(f);
  const Run r = run("estimate 'gpu=a100-80gb' --json --model-config '" + dir + "/config.json'");
  REQUIRE(r.status == 0);
  const auto with = nlohmann::json::parse(r.out);
  const auto preset = nlohmann::json::parse(run("estimate 'model=llama-3.1-8b&gpu=a100-80gb' --json").out);
  CHECK(with["model"]["params"] == preset["model"]["params"]);
  CHECK(with["memory"] == preset["memory"]);
  CHECK(with["scenario"].get<std::string>().find("model=custom&name=llama&layers=32") != std::string::npos);
  CHECK(with["model"]["name"] == "llama");  // the name travels in the link
  f = std::fopen((dir + "/config.json").c_str(), "w");
  std::fputs("{\"hidden_size\": 1}", f);
  std::fclose(f);
  const Run bad = run("estimate x=1 --model-config '" + dir + "/config.json'", true);
  CHECK(bad.status == 1);
  CHECK(bad.out.find("num_hidden_layers is missing") != std::string::npos);
}

TEST_CASE("cli: hostile links print valid JSON or a message, never abort (issue #14)") {
  Run r = run("estimate '%FF=1' --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["warnings"][0].get<std::string>().rfind("unknown key '", 0) == 0);
  // --explain with a long device name in prof=
  const std::string dev(100, 'A');
  r = run("estimate 'prof=1~" + dev + "~2026-01-01~3e12~2e-6~1e-6~bf16.1_16.4096x4096.1.5_20' --explain --json");
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out).contains("explain"));
  r = run("estimate 'prof=1~G~d~1e-300~0~0' --json", true);
  CHECK(r.status == 1);
  CHECK(r.out.find("bandwidth must be between 1e9 and 1e14 B/s") != std::string::npos);
  r = run("estimate 'name=%FF%00' --json", true);
  CHECK(r.status == 1);
  CHECK(r.out.find("name: must be UTF-8 text without control characters") != std::string::npos);
}

TEST_CASE("cli: an oversized file is reported with its real size") {
  const std::string path = std::string(LLMCALC_BUILD_DIR) + "/oversized-profile.json";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::string chunk(1 << 20, ' ');
    for (int i = 0; i < 5; ++i) std::fwrite(chunk.data(), 1, chunk.size(), f);
    std::fclose(f);
  }
  const Run r = run("profile check '" + path + "'", true);
  CHECK(r.status == 1);
  CHECK(r.out.find("the profile is 5.00 MiB; at most 4.00 MiB is accepted") != std::string::npos);
}

TEST_CASE("cli: the JSON has a cost object for inference and training, and a verdict with fixes") {
  const Run i = run("estimate 'model=llama-3.1-8b&gpu=h100-sxm&batch=16' --json");
  REQUIRE(i.status == 0);
  const auto ji = nlohmann::json::parse(i.out);
  CHECK(ji["cost"]["usd_per_million_output_tokens"].get<double>() > 0);
  CHECK(ji["verdict"]["state"] == "fits");
  const Run t = run("estimate 'mode=train&model=llama-3.1-8b&gpu=h100-sxm&train_tokens=1e9' --json");
  REQUIRE(t.status == 0);
  const auto jt = nlohmann::json::parse(t.out);
  CHECK(jt["cost"]["usd_per_million_tokens"].get<double>() > 0);
  CHECK(jt["cost"]["usd_to_train"].get<double>() > 0);
  CHECK(jt["verdict"]["state"] == "does not fit");
  CHECK(jt["verdict"]["fixes"].size() >= 1);
}

TEST_CASE("cli: --markdown and --csv, one at a time") {
  const Run md = run("estimate 'model=llama-3.1-8b' --markdown");
  REQUIRE(md.status == 0);
  CHECK(md.out.rfind("## Llama 3.1 8B", 0) == 0);
  const Run csv = run("estimate 'model=llama-3.1-8b' --csv");
  REQUIRE(csv.status == 0);
  CHECK(csv.out.rfind("figure,value\n", 0) == 0);
  CHECK(run("estimate 'model=llama-3.1-8b' --csv --json").status == 2);
}

TEST_CASE("cli: compare two scenarios, or one link with vs=") {
  const Run two = run("compare 'model=llama-3.1-8b' 'model=llama-3.1-8b&dtype=fp8' --json");
  REQUIRE(two.status == 0);
  const auto j = nlohmann::json::parse(two.out);
  CHECK(j["a"] == "v=1");  // llama-3.1-8b is the default model
  CHECK(j["b"] == "v=1&dtype=fp8");
  const Run one = run("compare 'model=llama-3.1-8b&dtype=fp8&vs=v%3D1%26model%3Dllama-3.1-8b' --json");
  REQUIRE(one.status == 0);
  CHECK(nlohmann::json::parse(one.out) == j);
  const Run text = run("compare 'model=llama-3.1-8b' 'model=llama-3.1-8b&batch=8'");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("TTFT (one request)") != std::string::npos);
  CHECK(run("compare 'model=llama-3.1-8b'").status == 2);  // no vs=
  CHECK(run("compare 'model=nope' 'model=llama-3.1-8b'", true).out.find("A: ") != std::string::npos);
  // estimate says a vs= link is a comparison
  const Run e = run("estimate 'model=llama-3.1-8b&vs=model%3Dllama-3.1-70b' --json");
  REQUIRE(e.status == 0);
  CHECK(e.out.find("llmcalc compare") != std::string::npos);
}
