// One opened profile file: the profiles the core's importers read from it
// (a file may hold several, e.g. one per JFR event kind or speedscope
// profile) and the sample types the user can choose between. Built on a
// worker thread by view_builder, then shared read-only with the UI thread.
// Thread safety: immutable once built; const methods from any thread.
#ifndef KILN_VIEWER_QT_PROFILE_DOCUMENT_H_
#define KILN_VIEWER_QT_PROFILE_DOCUMENT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"

namespace kiln::viewer::qt {

// One choosable sample type: |type| of profiles[|profile|].
struct SampleTypeChoice {
  size_t profile = 0;
  size_t type = 0;
  friend bool operator==(const SampleTypeChoice&, const SampleTypeChoice&) = default;
};

class ProfileDocument {
 public:
  ProfileDocument(std::string path, std::vector<Profile> profiles);

  const std::string& path() const { return path_; }
  // The file name without directories, for titles.
  std::string file_name() const;
  const std::vector<Profile>& profiles() const { return profiles_; }

  // Every (profile, sample type) pair, in file order.
  std::vector<SampleTypeChoice> Choices() const;
  // "cpu/nanoseconds", prefixed with the profile's name when the file holds
  // several profiles ("wall: samples/count").
  std::string Describe(SampleTypeChoice choice) const;
  const ValueType& TypeOf(SampleTypeChoice choice) const {
    return profiles_[choice.profile].sample_types[choice.type];
  }
  // The first profile's default type (what pprof tools show).
  SampleTypeChoice DefaultChoice() const;
  // |spec| is "type" or "type/unit" (the CLI's --sample-type); empty gives
  // DefaultChoice(). NotFound lists the types the file has.
  absl::StatusOr<SampleTypeChoice> Find(const std::string& spec) const;
  // Import notes of every profile (skipped records and where), or "".
  std::string ImportNotes() const;

 private:
  std::string path_;
  std::vector<Profile> profiles_;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_PROFILE_DOCUMENT_H_
