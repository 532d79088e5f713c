// calibrate/identity.cpp — see identity.hpp.
#include "identity.hpp"

namespace calib {

std::string note_identity(llmcalc::Profile& p) {
  llmcalc::ProfileDevice& d = p.device;
  if (d.mig.empty()) d.mig = llmcalc::mig_profile_of(d.name);
  const llmcalc::DeviceMatch m = llmcalc::identify_device(d.name, d.sm_count, d.memory_bytes, d.mig);
  if (m.note.empty()) return "";
  p.notes.push_back("device: " + m.note);
  return m.note;
}

}  // namespace calib
