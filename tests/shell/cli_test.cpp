// tests/shell/cli_test.cpp — the `llmcalc` binary itself: exit codes, stderr, stdout JSON.
#include <catch2/catch.hpp>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
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

TEST_CASE("cli: the human table") {
  const Run r = run("estimate 'model=llama-7b&gpu=a100-40gb' --explain");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("kv cache") != std::string::npos);
  CHECK(r.out.find("memory.kv_cache:") != std::string::npos);
}
