// Regenerates the bundled example models (examples/*.tflite).
//
// Not part of the CMake build (the committed .tflite files are what the demo
// uses). After a build, from the repository root:
//
//   c++ -std=c++20 -O1 -Iinclude examples/make_example_models.cc -Lbuild/lib -lrnnlite
//       -Wl,-rpath,$PWD/build/lib -o build/make_example_models   (one line)
//   build/make_example_models examples
#include <cstdio>
#include <string>

#include "example_models.h"
#include "rnnlite/model.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_example_models OUTPUT_DIR\n");
    return 1;
  }
  const std::string dir = argv[1];
  for (const auto& [file, build] : rnnlite::examples::AllExampleModels()) {
    const std::string path = dir + "/" + file;
    rnnlite::Status s = rnnlite::WriteTfliteFile(build(), path);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), s.ToString().c_str());
      return 2;
    }
    std::printf("wrote %s\n", path.c_str());
  }
  return 0;
}
