// Reads one entry of a speedscope file's "profiles" array into per-stack
// weights (in the profile's own unit; the caller scales them).
//
// Evented profiles ({"type": "evented", "events": [{type "O"|"C", frame,
// at}]}): between two consecutive events, the frames open form one stack,
// and that stack's self weight grows by the time between the events. Events
// must be in time order and nest: a "C" closes the frame on top of the
// stack, and nothing may be open after the last event. Time while no frame
// is open belongs to no stack and is not counted.
//
// Sampled profiles ({"type": "sampled", "samples": [[frame, ...]],
// "weights": [w, ...]}): sample i is a stack of frame indices, root first,
// weighing weights[i] (>= 0). An empty sample has no stack to carry its
// weight: it is skipped and noted (records_skipped).
//
// Errors name the JSON path of the offending value
// ("profiles[0].events[6]: closes frame 1 ...").
#ifndef KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_PROFILE_READER_H_
#define KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_PROFILE_READER_H_

#include "absl/status/status.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/weighted_stacks.h"
#include "core/ingest/speedscope/speedscope_frames.h"

namespace kiln::speedscope {

// |profile| is the JSON object at |path|; |stacks| has one weight type.
absl::Status ReadEventedProfile(const Json& profile, const JsonPath& path, ProfileFrames* frames,
                                WeightedStacks* stacks);
absl::Status ReadSampledProfile(const Json& profile, const JsonPath& path, ProfileFrames* frames,
                                WeightedStacks* stacks);

}  // namespace kiln::speedscope

#endif  // KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_PROFILE_READER_H_
