// The heavy work of the viewer, as plain functions for a worker thread
// (style.md §6 A.1: merge once, lay out off the UI thread): read and import
// files, build the call tree of one sample type, lay it out, compute the
// top table; the same for a diff of two files and for a merge of chosen
// profiles (a heatmap selection). ProfileLoader runs them with QtConcurrent;
// tests call them directly.
//
// Cancellation is cooperative: a WorkControl is polled between phases (and
// between chunks while reading), and a cancelled job returns Cancelled. The
// core's importers are not interruptible, so a cancel lands at the end of
// the running phase; the UI does not wait for it (the result is dropped).
// Thread safety: pure functions of their arguments; documents are shared
// read-only.
#ifndef KILN_VIEWER_QT_VIEW_BUILDER_H_
#define KILN_VIEWER_QT_VIEW_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/query/top_table.h"
#include "kiln/query/tree.h"
#include "kiln/query/tree_builder.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/heatmap.h"
#include "kiln/viewer/top_table_model.h"
#include "viewer/qt/profile_document.h"
#include "viewer/qt/source_index.h"

namespace kiln::viewer::qt {

// Progress and cancellation of one job.
class WorkControl {
 public:
  virtual ~WorkControl() = default;
  virtual bool Canceled() const = 0;
  // |percent| of the whole job, 0..100; |what| says what runs now.
  virtual void Progress(int percent, const std::string& what) = 0;
};

// How a tree is made from profiles (a change needs a rebuild).
struct ViewOptions {
  bool collapse_recursion = false;
  FrameNaming naming = FrameNaming::kFunction;
  friend bool operator==(const ViewOptions&, const ViewOptions&) = default;
};

// Everything the panes show of one view. Immutable once handed to the UI
// thread, except |top|, which only the UI thread sorts.
struct FlameView {
  std::string title;
  ValueType sample_type;
  bool is_diff = false;
  std::shared_ptr<const Tree> tree;       // the tree shown; for a diff, the new side
  std::shared_ptr<const Tree> base_tree;  // diff only
  std::shared_ptr<const DepthLayout> layout;
  std::shared_ptr<TopTableModel> top;     // of |tree|
  std::vector<ShareChange> share_changes; // diff only: CompareShares(base, new)
  std::shared_ptr<const SourceIndex> sources;
};

// Profiles of several files as heatmap points: point i (profile_id i) is
// refs[i]; time is the profile's time_nanos, or its position in the input
// order when no profile has a timestamp; value is its total of the type.
struct ProfileCollection {
  struct Ref {
    size_t document = 0;
    size_t profile = 0;
    size_t type = 0;
  };
  std::vector<std::shared_ptr<const ProfileDocument>> documents;
  std::vector<Ref> refs;
  std::vector<HeatmapPoint> points;
  ValueType sample_type;
  bool synthetic_time = false;
};

// Reads |path| (in chunks, polling |control|) and imports it.
absl::StatusOr<std::shared_ptr<const ProfileDocument>> LoadDocument(const std::string& path,
                                                                    WorkControl* control,
                                                                    int progress_from = 0,
                                                                    int progress_to = 60);

absl::StatusOr<FlameView> BuildView(const ProfileDocument& document, SampleTypeChoice choice,
                                    const ViewOptions& options, WorkControl* control,
                                    int progress_from = 60);

// |type_spec| ("type" or "type/unit") picks the sample type on both sides;
// empty takes the base's default type and the same type name on the new
// side (the CLI's `kiln diff` rule). NotFound when a side lacks it.
absl::StatusOr<FlameView> BuildDiffView(const ProfileDocument& base, const ProfileDocument& next,
                                        const std::string& type_spec, const ViewOptions& options,
                                        WorkControl* control, int progress_from = 60);

// Every profile of |documents| with the sample type |type_spec| (empty: the
// first document's default type); profiles without it are left out.
// NotFound when none has it.
absl::StatusOr<std::shared_ptr<const ProfileCollection>> CollectProfiles(
    std::vector<std::shared_ptr<const ProfileDocument>> documents, const std::string& type_spec);

// The merged view of the profiles |ids| (indices of collection.refs).
absl::StatusOr<FlameView> BuildMergedView(const ProfileCollection& collection,
                                          const std::vector<uint64_t>& ids,
                                          const ViewOptions& options, WorkControl* control,
                                          int progress_from = 0);

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_VIEW_BUILDER_H_
