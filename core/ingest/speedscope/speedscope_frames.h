// speedscope's shared frame table (shared.frames: {name, file?, line?,
// col?}) and the stacks built from indices into it, for one Profile.
#ifndef KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_FRAMES_H_
#define KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_FRAMES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/source_frame.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::speedscope {

// shared.frames of the document |doc|, validated; the string views point
// into |doc|, which must outlive the result.
absl::StatusOr<std::vector<SourceFrame>> ParseSharedFrames(const Json& doc);

// Turns frame indices into locations and stacks of one Profile. Frames are
// interned on first use, so a profile holds only the frames it uses.
// Stacks deeper than max_stack_depth keep their root-most frames.
class ProfileFrames {
 public:
  ProfileFrames(std::span<const SourceFrame> frames, const ImportOptions& options,
                Profile* profile)
      : frames_(frames), options_(options), profile_(profile), locations_(frames.size(), 0) {}

  size_t size() const { return frames_.size(); }
  const SourceFrame& frame(size_t index) const { return frames_[index]; }
  Profile* profile() const { return profile_; }
  uint32_t max_stack_depth() const { return options_.max_stack_depth; }

  // |index| < size().
  LocationId Location(size_t index);
  // The stack that is |parent| (of depth |parent_depth|) plus frame |index|
  // on top; |parent| itself when the depth limit is reached (the caller
  // counts the truncation).
  StackId Push(StackId parent, uint32_t parent_depth, size_t index);

 private:
  std::span<const SourceFrame> frames_;
  const ImportOptions& options_;
  Profile* profile_;
  std::vector<LocationId> locations_;  // 0 = not interned yet
};

}  // namespace kiln::speedscope

#endif  // KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_FRAMES_H_
