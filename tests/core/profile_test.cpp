// tests/core/profile_test.cpp — the GPU profile file: reader, writer, derived rates, import.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/estimate.hpp"
#include "core/profile.hpp"
#include "core/text.hpp"

using namespace llmcalc;
using json = nlohmann::json;

namespace {
std::string fixture_text() {
  std::ifstream f(std::string(LLMCALC_SOURCE_DIR) + "/tests/fixtures/synthetic-h100-profile.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
Profile fixture() {
  Result<Profile> p = parse_profile(fixture_text());
  if (!p) FAIL(p.error().message);
  return p.value();
}
// The fixture with one edit applied, as text.
std::string edited(void (*edit)(json&)) {
  json j = json::parse(fixture_text());
  edit(j);
  return j.dump();
}
std::string error_of(const std::string& text) {
  Result<Profile> p = parse_profile(text);
  return p.ok() ? std::string() : p.error().message;
}
}  // namespace

TEST_CASE("the synthetic fixture is read and summarised") {
  const Profile p = fixture();
  CHECK(p.device.name == "NVIDIA H100 80GB HBM3 (synthetic)");
  CHECK(p.gemm.size() == 6 * 5 * 12);
  CHECK(measured_bandwidth(p, "read") == Approx(3.0e12));
  CHECK(measured_peak(p, "bf16") / 989.4e12 == Approx(0.7).epsilon(0.02));
  const std::string s = profile_summary(p);
  CHECK(s.find("preset    h100-sxm") != std::string::npos);
  CHECK(s.find("70%") != std::string::npos);
  CHECK(s.find("SYNTHETIC") != std::string::npos);
}

TEST_CASE("write then read gives the same profile, and the file is kept for schema validation") {
  const Profile p = fixture();
  const std::string text = write_profile(p);
  Result<Profile> q = parse_profile(text);
  REQUIRE(q.ok());
  CHECK(write_profile(q.value()) == text);
  std::ofstream(std::string(LLMCALC_BUILD_DIR) + "/written-profile.json") << text;
}

TEST_CASE("unknown fields are ignored and minor versions are read") {
  CHECK(parse_profile(edited([](json& j) { j["future_field"] = {1, 2}; j["device"]["pcie_gen"] = 5; })).ok());
  CHECK(parse_profile(edited([](json& j) { j["schema_version"] = "1.7"; })).ok());
}

TEST_CASE("every malformed profile is refused with a message naming the problem") {
  CHECK(error_of("{") == "profile: not valid JSON");
  CHECK(error_of("[1]").find("top level") != std::string::npos);
  CHECK(error_of("{}").find("schema is missing") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["schema"] = "something-else"; })).find("expected 'llmcalc.gpu-profile'") != std::string::npos);
  const std::string v2 = edited([](json& j) { j["schema_version"] = "2.0"; });
  CHECK(error_of(v2).find("schema_version 2.0 is not supported") != std::string::npos);
  CHECK(parse_profile(v2).error().code == ErrorCode::unsupported_version);
  CHECK(error_of(edited([](json& j) { j["device"].erase("name"); })) == "profile: device.name is missing");
  CHECK(error_of(edited([](json& j) { j["device"]["memory_bytes"] = "80GB"; })) == "profile: device.memory_bytes must be a number");
  CHECK(error_of(edited([](json& j) { j["launch"]["graph_per_kernel_s"] = -1; })).find("launch.graph_per_kernel_s must be between 0 and") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["bandwidth"][0]["pattern"] = "triad"; })).find("bandwidth[0].pattern") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["bandwidth"] = json::array(); })).find("no 'read'") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["gemm"] = json::array(); })).find("gemm has no measurements") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["gemm"][3]["dtype"] = "fp4"; })).find("gemm[3].dtype") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["gemm"][3]["seconds"] = 0; })).find("gemm[3].seconds") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["gemm"][3]["verified"] = "yes"; })).find("gemm[3].verified") != std::string::npos);
  CHECK(error_of(edited([](json& j) { j["device"] = 5; })).find("device must be an object") != std::string::npos);
  CHECK(error_of(std::string(kMaxProfileBytes + 1, ' ')).find("at most") != std::string::npos);
}

TEST_CASE("rates are derived from raw latencies, unverified GEMMs never give a rate") {
  Profile p = fixture();
  Calibration c = calibration_from_profile(p);
  const GemmGrid& g = c.gemm[static_cast<int>(DType::bf16)];
  REQUIRE(g.m.size() == 12);
  REQUIRE(g.n.size() == 5);
  const GemmSample& s = p.gemm[0];
  CHECK(c.gemm[static_cast<int>(DType::fp32)].rate[0] == Approx(2 * s.m * s.n * s.k / s.seconds));
  for (auto& x : p.gemm) x.verified = x.dtype != "bf16";
  c = calibration_from_profile(p);
  CHECK(c.gemm[static_cast<int>(DType::bf16)].empty());
  CHECK_FALSE(c.gemm[static_cast<int>(DType::fp16)].empty());
  // bandwidth only from working sets of at least 4× L2 (the fixture's 16 MB set runs at 8 TB/s)
  CHECK(c.bandwidth_bytes_per_s == Approx(3.0e12));
}

TEST_CASE("importing a profile: calibrated times change, the link carries them") {
  Scenario s = decode_scenario("model=llama-3.1-8b&gpu=a100-80gb&batch=8")->scenario;
  const Estimate plain = estimate(s).value();
  const auto notes = apply_profile(s, fixture(), false);
  CHECK(s.gpu == "h100-sxm");  // the profile's device
  CHECK(notes.size() >= 2);
  const Estimate with = estimate(s).value();
  CHECK(with.ttft_s != plain.ttft_s);
  CHECK(with.d.bandwidth_bytes_per_s == Approx(3.0e12));
  // the receiver of the link: same numbers, bit for bit, without the file
  const Scenario received = decode_scenario(encode_scenario(s))->scenario;
  const Estimate again = estimate(received).value();
  CHECK(again.ttft_s == with.ttft_s);
  CHECK(again.tpot_s == with.tpot_s);
  // roofline ignores the profile but says so
  s.timing = TimingModel::roofline;
  const Estimate roof = estimate(s).value();
  CHECK_FALSE(roof.warnings.empty());
  Scenario plain_roof = s;
  plain_roof.prof.clear();
  CHECK(roof.ttft_s == estimate(plain_roof)->ttft_s);
}

TEST_CASE("keep_gpu leaves the chosen GPU and the estimate warns about the mismatch") {
  Scenario s = decode_scenario("gpu=a100-80gb")->scenario;
  apply_profile(s, fixture(), true);
  CHECK(s.gpu == "a100-80gb");
  const Estimate e = estimate(s).value();
  bool warned = false;
  for (const auto& w : e.warnings) warned = warned || w.find("measured on NVIDIA H100") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("device names match GPU presets") {
  CHECK(match_gpu_preset("NVIDIA H100 80GB HBM3", 0)->id == "h100-sxm");
  CHECK(match_gpu_preset("NVIDIA H100 PCIe", 0)->id == "h100-pcie");
  CHECK(match_gpu_preset("NVIDIA H200", 0)->id == "h200");
  CHECK(match_gpu_preset("NVIDIA A100-SXM4-40GB", 42e9)->id == "a100-40gb");
  CHECK(match_gpu_preset("NVIDIA A100-SXM4-80GB", 85e9)->id == "a100-80gb");
  CHECK(match_gpu_preset("NVIDIA A10", 0)->id == "a10");
  CHECK(match_gpu_preset("NVIDIA L4", 0)->id == "l4");
  CHECK(match_gpu_preset("NVIDIA L40S", 0)->id == "l40s");
  CHECK(match_gpu_preset("NVIDIA GeForce RTX 4090", 0)->id == "rtx-4090");
  CHECK(match_gpu_preset("Tesla T4", 0)->id == "t4");
  CHECK(match_gpu_preset("NVIDIA H100 NVL", 0)->id == "h100-nvl");
  CHECK(match_gpu_preset("NVIDIA A100-PCIE-40GB", 40e9)->id == "a100-pcie-40gb");
  CHECK(match_gpu_preset("NVIDIA GH200 480GB", 97871 * 1048576.0)->id == "gh200");
  CHECK(match_gpu_preset("NVIDIA B300 SXM6 AC", 0)->id == "b300");
  CHECK(match_gpu_preset("AMD Instinct MI325X", 0)->id == "mi325x");
  CHECK(match_gpu_preset("Apple M2 Ultra", 0) == nullptr);  // no profile comes from a Mac yet
}

TEST_CASE("a damaged created date never splits a character in the import's notes (fuzz regression)") {
  Result<Profile> p = parse_profile(edited([](json& j) { j["created"] = "2026-0100\xCF\xA5" "00:00:00Z"; }));
  REQUIRE(p.ok());
  Scenario s = decode_scenario("model=llama-3.1-8b")->scenario;
  for (const std::string& n : apply_profile(s, p.value(), false)) CHECK(printable_utf8(n));
  CHECK(apply_profile(s, p.value(), false).front().find("measured 2026-0100") != std::string::npos);
  CHECK(calibration_from_profile(p.value()).date == "2026-0100");
}

// ---- schema 1.1 --------------------------------------------------------------------------------

TEST_CASE("the fixture's schema-1.1 sections are read, written and summarised") {
  const Profile p = fixture();
  CHECK(p.schema_version == "1.1");
  CHECK(p.status == "complete");
  CHECK(p.attention_decode.size() == 36);
  CHECK(p.attention_prefill.size() == 4);
  CHECK(p.weight_only.size() == 2 * 5 * 9);
  CHECK(p.grouped_gemm.size() == 16);
  CHECK(p.small_kernels.size() == 30);
  CHECK(p.memory.context_bytes == 562.0 * 1024 * 1024);
  CHECK(p.collectives.size() == 30);
  CHECK(p.p2p.size() == 3);
  CHECK(p.methods.size() == 4);
  const Calibration c = calibration_from_profile(p);
  CHECK(c.attn_decode.size() == 36);
  CHECK(c.collectives.size() == 2);
  CHECK(c.memory_bytes == 85520809984.0);
  CHECK_FALSE(c.weight_only[0].empty());
  CHECK_FALSE(c.grouped[static_cast<int>(DType::bf16)].empty());
  const std::string s = profile_summary(p);
  for (const char* line : {"attention decode (llmcalc kernel)", "weight-only w4a16_g128 (llmcalc reference kernel)", "kernel    sampling",
                           "the context + cuBLASLt take 562 MiB", "nccl      all_reduce over 8 GPUs", "fp8       fast accumulation",
                           "flush     bf16 1\xC3\x97" "4096\xC3\x97" "4096", "sustained bf16", "method    gemm"}) {
    INFO(line);
    CHECK(s.find(line) != std::string::npos);
  }
}

TEST_CASE("a 1.0 profile (none of the 1.1 sections) reads as before and its link has none of them") {
  const std::string v10 = edited([](json& j) {
    j["schema_version"] = "1.0";
    for (const char* k : {"status", "methods", "clocks", "gemm_flush", "sustained", "attention", "weight_only", "grouped_gemm",
                          "small_kernels", "memory", "p2p", "collectives"})
      j.erase(k);
  });
  Result<Profile> p = parse_profile(v10);
  REQUIRE(p.ok());
  CHECK(p->status == "complete");
  const Calibration c = calibration_from_profile(p.value());
  CHECK(c.attn_decode.empty());
  CHECK(c.context_bytes == 0);
  CHECK(c.memory_bytes == 85520809984.0);  // the device's memory still travels
  const std::string link = encode_calibration(c);
  CHECK(link.find("~ad.") == std::string::npos);
  CHECK(link.find("~w4.") == std::string::npos);
}

TEST_CASE("every 1.1 field is range-checked where it enters, and the error names it") {
  const std::pair<void (*)(json&), const char*> cases[] = {
      {[](json& j) { j["status"] = "finished"; }, "status must be one of complete partial"},
      {[](json& j) { j["methods"]["gemm"]["flush"] = "magic"; }, "methods.gemm.flush must be one of"},
      {[](json& j) { j["methods"] = 3; }, "methods must be an object"},
      {[](json& j) { j["clocks"][0]["sm_clock_mhz_max"] = 1e9; }, "clocks[0].sm_clock_mhz_max must be between"},
      {[](json& j) { j["attention"]["decode"][0]["context"] = 0; }, "attention.decode[0].context must be between 1"},
      {[](json& j) { j["attention"]["decode"][2]["q_heads"] = 12; }, "attention.decode[2].q_heads must be a multiple of kv_heads"},
      {[](json& j) { j["attention"]["decode"][0]["seconds"] = 1e-12; }, "attention.decode[0].seconds must be between"},
      {[](json& j) { j["attention"]["decode"][0]["bytes_moved"] = 1e14; }, "attention.decode[0].bytes_moved/seconds"},
      {[](json& j) { j["attention"]["prefill"][0]["flop"] = 1e21; }, "attention.prefill[0].flop/seconds"},
      {[](json& j) { j["weight_only"][0]["format"] = "w3a16"; }, "weight_only[0].format must be one of"},
      {[](json& j) { j["weight_only"][0]["m"] = 1.5; }, "weight_only[0].m must be a whole number"},
      {[](json& j) { j["grouped_gemm"][0]["experts"] = 1e6; }, "grouped_gemm[0].experts must be between"},
      {[](json& j) { j["small_kernels"][0]["kernel"] = "softmax"; }, "small_kernels[0].kernel must be one of"},
      {[](json& j) { j["small_kernels"][0]["seconds"] = 2.0; }, "small_kernels[0].seconds must be between"},
      {[](json& j) { j["memory"]["context_bytes"] = 1e14; }, "memory.context_bytes must be between"},
      {[](json& j) { j["memory"] = json::array(); }, "memory must be an object"},
      {[](json& j) { j["p2p"][0]["bytes"] = 1e15; }, "p2p[0].bytes/seconds"},
      {[](json& j) { j["collectives"][0]["ranks"] = 1; }, "collectives[0].ranks must be at least 2"},
      {[](json& j) { j["collectives"][0]["op"] = "broadcast"; }, "collectives[0].op must be one of"},
      {[](json& j) { j["gemm"][0]["seconds_without_fast_accum"] = -1; }, "gemm[0].seconds_without_fast_accum must be between"},
      {[](json& j) { j["device"]["mig"] = 7; }, "device.mig must be a string"},
  };
  for (const auto& [edit, want] : cases) {
    const std::string err = error_of(edited(edit));
    INFO(want << " | got: " << err);
    CHECK(err.find(want) != std::string::npos);
  }
}

TEST_CASE("more points than a link carries are refused with a message") {
  const std::string text = edited([](json& j) {
    for (int i = 0; i < 200; ++i) {
      json e = j["attention"]["decode"][0];
      e["context"] = 100000 + i;
      j["attention"]["decode"].push_back(e);
    }
  });
  const std::string err = error_of(text);
  CHECK(err.find("cannot travel in a link") != std::string::npos);
}

TEST_CASE("a partial profile says so, and one without GEMMs names the reason") {
  const std::string text = edited([](json& j) {
    j["status"] = "partial";
    j["status_reason"] = "the watchdog fired after 300 s in gemm bf16 M=16 N=4096 K=4096";
    j["gemm"] = json::array();
  });
  CHECK(error_of(text) == "profile: gemm has no measurements (the run was partial: the watchdog fired after 300 s in gemm bf16 "
                          "M=16 N=4096 K=4096)");
  Profile p = fixture();
  p.status = "partial";
  p.status_reason = "the GEMM time budget ran out";
  Scenario s;
  const auto notes = apply_profile(s, p, false);
  CHECK(notes[0].find("a partial run: the GEMM time budget ran out") != std::string::npos);
  CHECK(profile_summary(p).find("status    partial: the GEMM time budget ran out") != std::string::npos);
}

TEST_CASE("importing a MIG slice: its parent GPU, its own memory, and a note saying so") {
  Profile p = fixture();
  p.device.name = "NVIDIA H100 80GB HBM3 MIG 3g.40gb";
  p.device.sm_count = 60;
  p.device.memory_bytes = 40326184960;
  p.memory.total_bytes = 40326184960;
  p.memory.context_bytes = 500e6;
  Scenario s = decode_scenario("model=llama-3.1-8b&gpu=a100-80gb&engine=none")->scenario;
  const auto notes = apply_profile(s, p, false);
  CHECK(s.gpu == "h100-sxm");
  bool said = false;
  for (const auto& n : notes) said = said || n.find("a MIG slice (3g.40gb) of the NVIDIA H100 SXM 80GB: 60 SMs") != std::string::npos;
  CHECK(said);
  const Estimate e = estimate(s).value();
  CHECK(e.capacity_bytes == 40326184960.0);  // the slice's memory, not the whole GPU's 80 GB
  CHECK(e.memory.overhead == 500e6);
  CHECK(profile_summary(p).find("preset    none: compared with no datasheet") != std::string::npos);
}

TEST_CASE("a device whose SM count disagrees with its preset is not switched to") {
  Profile p = fixture();
  p.device.sm_count = 100;  // no H100 preset has 100 SMs
  Scenario s = decode_scenario("gpu=a100-80gb")->scenario;
  auto notes = apply_profile(s, p, false);
  CHECK(s.gpu == "a100-80gb");
  bool said = false;
  for (const auto& n : notes) said = said || n.find("reports 100 SMs") != std::string::npos;
  CHECK(said);
  // the SMs and memory of another preset of the family: that one, said so
  p.device.sm_count = 114;
  notes = apply_profile(s, p, false);
  CHECK(s.gpu == "h100-pcie");
}
