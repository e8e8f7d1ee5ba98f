// Runs saved inputs through the fuzz target's pipeline without libFuzzer, with
// the same stack limit and depth bound as the fuzzer (LLVMFuzzerInitialize):
//   scan_fuzz_replay FILE_OR_DIR...
// Directories are read one level deep, in name order, skipping *.md. Each
// input's name is printed to stderr before it runs, so a crash names it.
// Exit 0 when every input ran; a crash or an invariant violation aborts.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void collect(const std::string& path, std::vector<std::string>& out) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "scan_fuzz_replay: cannot stat %s\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) {
    out.push_back(path);
    return;
  }
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n == "." || n == ".." || (n.size() > 3 && n.compare(n.size() - 3, 3, ".md") == 0)) continue;
      names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    const std::string p = path + "/" + n;
    struct stat es {};
    if (stat(p.c_str(), &es) == 0 && S_ISREG(es.st_mode)) out.push_back(p);
  }
}

}  // namespace

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) collect(argv[i], inputs);
  for (const auto& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "scan_fuzz_replay: %s (%zu bytes)\n", p.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "scan_fuzz_replay: %zu input(s) ran cleanly\n", inputs.size());
  return 0;
}
