// A temporary directory for an end-to-end test, removed with everything in it
// when the object is destroyed. path() is empty when it could not be made.
#ifndef KILN_TESTS_SCRATCH_DIR_H_
#define KILN_TESTS_SCRATCH_DIR_H_

#include <filesystem>
#include <string_view>

namespace kiln::testing {

class ScratchDir {
 public:
  // |prefix| names the directory under the system's temp directory.
  explicit ScratchDir(std::string_view prefix = "kiln_test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kiln::testing

#endif  // KILN_TESTS_SCRATCH_DIR_H_
