// Writes RGBA pixels as a PNG (stb_image_write, Debian's libstb).
#ifndef KILN_VIEWER_IMGUI_PNG_WRITER_H_
#define KILN_VIEWER_IMGUI_PNG_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace kiln::viewer::imgui {

// |rgba| holds |height| rows of |width| pixels, top row first.
absl::Status WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba);

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_PNG_WRITER_H_
