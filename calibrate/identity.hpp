// calibrate/identity.hpp — the measured device against the GPU presets (issue #11, 11): MIG slices,
// H100 NVL, GH200 and other parts a name alone misreads. Core decides (identify_device); this
// fills the profile's device.mig and says what it found. Pure C++, tested without a GPU.
#pragma once
#include <string>

#include "core/profile.hpp"

namespace calib {

// Sets p.device.mig from the device name when it names a MIG profile, adds a note when the device
// is not exactly a preset, and returns the line to print ("" when it is exactly one).
std::string note_identity(llmcalc::Profile& p);

}  // namespace calib
