#include "core/ingest/speedscope/speedscope_frames.h"

#include <algorithm>

#include "kiln/base/status_macros.h"

namespace kiln::speedscope {

absl::StatusOr<std::vector<SourceFrame>> ParseSharedFrames(const Json& doc) {
  const JsonPath root;
  ASSIGN_OR_RETURN(const Json* shared, RequireField(doc, "shared", root));
  const JsonPath shared_path = root.Field("shared");
  RETURN_IF_ERROR(ExpectObject(*shared, shared_path));
  ASSIGN_OR_RETURN(const Json* frames, RequireArrayField(*shared, "frames", shared_path));
  const JsonPath frames_path = shared_path.Field("frames");
  std::vector<SourceFrame> out;
  out.reserve(frames->size());
  for (size_t i = 0; i < frames->size(); ++i) {
    const Json& f = (*frames)[i];
    const JsonPath path = frames_path.Index(i);
    RETURN_IF_ERROR(ExpectObject(f, path));
    ASSIGN_OR_RETURN(const Json* name, RequireField(f, "name", path));
    SourceFrame frame;
    ASSIGN_OR_RETURN(frame.name, ReadString(*name, path.Field("name")));
    ASSIGN_OR_RETURN(frame.file, OptionalStringField(f, "file", path));
    ASSIGN_OR_RETURN(frame.line, OptionalIntegerField(f, "line", path, 0));
    ASSIGN_OR_RETURN(frame.column, OptionalIntegerField(f, "col", path, 0));
    // speedscope's lines and columns are 1-based; anything below means
    // "unknown" (some exporters write -1), which the model spells 0.
    frame.line = std::max<int64_t>(frame.line, 0);
    frame.column = std::max<int64_t>(frame.column, 0);
    out.push_back(frame);
  }
  return out;
}

LocationId ProfileFrames::Location(size_t index) {
  LocationId& id = locations_[index];
  if (id == 0) id = InternSourceFrame(frames_[index], options_.max_name_length, profile_);
  return id;
}

StackId ProfileFrames::Push(StackId parent, uint32_t parent_depth, size_t index) {
  if (parent_depth >= options_.max_stack_depth) return parent;
  return profile_->stacks.Intern(parent, Location(index));
}

}  // namespace kiln::speedscope
