// core/nccl_tests.hpp — reads the text output of NVIDIA's nccl-tests (all_reduce_perf,
// all_gather_perf, reduce_scatter_perf, alltoall_perf) into a GPU profile's `collectives`
// section: one GPU cannot measure collectives, a node's nccl-tests run can (issue #11).
//
// What is read: "# Collective test starting: <name>_perf" (else the file name, else the columns)
// for the collective; the "#  Rank N … device D [bus] NAME" lines for the GPU count and name (host
// names and bus ids are never kept); the header row naming the columns ("size count type redop
// root time algbw busbw #wrong time …"), whose first time/busbw are the out-of-place figures; one
// row per size. Times are µs, bandwidths GB/s. Rows with wrong results (#wrong > 0) are skipped.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "profile.hpp"

namespace llmcalc {

inline constexpr size_t kMaxNcclTestsBytes = 1024 * 1024;  // a file larger than this is refused
inline constexpr size_t kMaxNcclTestsRows = 256;           // sizes per file

// The collectives in one nccl-tests output; `file_name` helps tell the collective (and names the
// source). Errors say what is missing.
Result<std::vector<CollectiveSample>> parse_nccl_tests(std::string_view text, std::string_view file_name);
// Puts `rows` into the profile's collectives, replacing what it had of the same collective and GPU
// count; schema_version becomes at least 1.1. Returns a line for the user.
std::string import_collectives(Profile& p, const std::vector<CollectiveSample>& rows);

}  // namespace llmcalc
