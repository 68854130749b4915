// Encodes a data frame as an Arrow IPC *file* (not stream), the bytes
// grafana-plugin-sdk-go's Frame.MarshalArrow produces and Grafana's
// UnmarshalArrowFrame reads back: magic, schema message, one record batch,
// end-of-stream marker, footer (schema repeat + one block), footer length,
// magic. Layout and metadata keys: ../shared/design/grafana-plugin.md §3.
// Thread safety: a pure function.
#ifndef KILN_PLUGIN_BACKEND_ARROW_ARROW_FILE_WRITER_H_
#define KILN_PLUGIN_BACKEND_ARROW_ARROW_FILE_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "plugin-backend/arrow/data_frame.h"

namespace kiln::plugin {

// InvalidArgument when fields differ in length (naming them), a field that
// is not nullable holds nulls, a string column exceeds Arrow's int32 offsets
// (2 GiB of text), or names and metadata JSON exceed 1 GiB.
// Cost: one output allocation of the exact file size; the columns are copied
// once (strings' int64 offsets narrowed, bools and validity bit-packed).
absl::StatusOr<std::string> EncodeArrowFile(const Frame& frame);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_ARROW_ARROW_FILE_WRITER_H_
