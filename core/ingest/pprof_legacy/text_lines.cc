#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {

bool TextLines::Next() {
  if (pos_ >= data_.size()) {
    line_ = {};
    return false;
  }
  size_t end = data_.find('\n', pos_);
  size_t next = end == std::string_view::npos ? data_.size() : end + 1;
  if (end == std::string_view::npos) end = data_.size();
  line_ = data_.substr(pos_, end - pos_);
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  pos_ = next;
  number_ = next_number_++;
  return true;
}

namespace {
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
}  // namespace

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsSpaceOrComment(std::string_view line) {
  std::string_view t = TrimSpace(line);
  return t.empty() || t.front() == '#';
}

bool IsMemoryMapSentinel(std::string_view line) {
  return line.find("--- Memory map: ---") != std::string_view::npos ||
         line.find("MAPPED_LIBRARIES:") != std::string_view::npos;
}

}  // namespace kiln::pprof_legacy
