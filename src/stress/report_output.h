#pragma once
// Where a stress report goes: stdout, or the -o FILE. The file is only
// created (or truncated) once there is a report to put in it, so that a
// usage error found late (an interpreter that is missing, a workload that
// does not import) leaves an existing file alone; and every write is
// checked, so that a full disk or `>/dev/full` is an error, not an empty
// report with exit status 0.

#include <functional>
#include <ostream>
#include <string>

namespace raceaudit::stress {

// Whether the report could be written to `path` later, checked without
// creating or truncating anything: an existing file must be writable, a new
// one must be in a writable directory. On failure sets *error to one line,
// "cannot write PATH: reason".
bool output_file_writable(const std::string& path, std::string* error);

// Calls write() on `out` (when `path` is empty) or on the file at `path`,
// created or truncated now, then flushes and checks the stream. On failure
// prints "raceaudit: error: cannot write the report to ...: reason" to `err`
// and returns false.
bool emit_report(const std::string& path, std::ostream& out, std::ostream& err,
                 const std::function<void(std::ostream&)>& write);

}  // namespace raceaudit::stress
