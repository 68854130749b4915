// Line-by-line reading with the semantics of Go's bufio.Scanner (ScanLines),
// which google/pprof's text parsers are written against: lines split at
// '\n', one trailing '\r' dropped, a last line without '\n' still counts,
// and line() is "" once Next() has returned false. Unlike bufio.Scanner
// there is no 64 KiB line limit.
#ifndef KILN_INGEST_PPROF_LEGACY_TEXT_LINES_H_
#define KILN_INGEST_PPROF_LEGACY_TEXT_LINES_H_

#include <cstddef>
#include <string_view>

namespace kiln::pprof_legacy {

class TextLines {
 public:
  explicit TextLines(std::string_view data, size_t first_line_number = 1)
      : data_(data), next_number_(first_line_number) {}

  // Advances to the next line; false at the end of the data.
  bool Next();
  std::string_view line() const { return line_; }
  // 1-based number of the current line (counting from first_line_number).
  size_t number() const { return number_; }
  // The data after the current line.
  std::string_view rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  std::string_view line_;
  size_t number_ = 0;
  size_t next_number_;
};

// strings.TrimSpace for ASCII whitespace (all pprof's formats are ASCII).
std::string_view TrimSpace(std::string_view s);
// isSpaceOrComment: blank, or '#' after leading whitespace.
bool IsSpaceOrComment(std::string_view line);
// A line that starts the memory-map section ("--- Memory map: ---" or
// "MAPPED_LIBRARIES:" anywhere in the line, as pprof checks).
bool IsMemoryMapSentinel(std::string_view line);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_TEXT_LINES_H_
