#include "viewer/imgui/png_writer.h"

#include <stb_image_write.h>

#include "fmt/format.h"

namespace kiln::viewer::imgui {

absl::Status WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba) {
  if (width <= 0 || height <= 0 || rgba.size() != static_cast<size_t>(width) * height * 4) {
    return absl::InvalidArgumentError(fmt::format("{}: bad image size {}x{} for {} bytes", path, width, height, rgba.size()));
  }
  if (stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4) == 0) {
    return absl::InternalError(fmt::format("{}: cannot write the PNG", path));
  }
  return absl::OkStatus();
}

}  // namespace kiln::viewer::imgui
