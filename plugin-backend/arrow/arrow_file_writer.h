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

// InvalidArgument when fields differ in length (naming them), or a column
// exceeds Arrow's int32 string offsets.
absl::StatusOr<std::string> EncodeArrowFile(const Frame& frame);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_ARROW_ARROW_FILE_WRITER_H_
