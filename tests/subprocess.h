// Runs a program to completion for an end-to-end test: argv (no shell, so
// paths with spaces need no quoting), extra environment, working directory;
// stdout and stderr are captured separately.
#ifndef KILN_TESTS_SUBPROCESS_H_
#define KILN_TESTS_SUBPROCESS_H_

#include <string>
#include <vector>

namespace kiln::testing {

struct ProcessResult {
  // The exit status; -1 when the program could not start or was killed.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// |env| entries are "NAME=value", added to (or replacing in) the current
// environment. |cwd| empty keeps the current directory.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                         const std::string& cwd = {});

// The absolute path of |program| found on $PATH, or "" when absent.
std::string FindOnPath(const std::string& program);

}  // namespace kiln::testing

#endif  // KILN_TESTS_SUBPROCESS_H_
