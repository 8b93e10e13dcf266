// Finds, opens and validates backend plugins. Nothing here may crash on a
// bad library: every failure becomes a Status naming the file and reason.
#include <dlfcn.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "rnnlite/delegate.h"
#include "rnnlite/plugin_abi.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

// Directory holding librnnlite.so (plugins are installed next to it).
std::string CoreLibraryDir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&LoadDelegatePlugin), &info) == 0 || info.dli_fname == nullptr) return "";
  return fs::path(info.dli_fname).parent_path().string();
}

std::vector<std::string> Candidates(const std::string& name) {
  const std::string file = "librnnlite_" + name + ".so";
  std::vector<std::string> out;
  if (const char* env = std::getenv("RNNLITE_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (!dir.empty()) out.push_back((fs::path(dir) / file).string());
    }
  }
  std::string core = CoreLibraryDir();
  if (!core.empty()) out.push_back((fs::path(core) / file).string());
  return out;
}

// Owns the dlopen handle and the plugin's delegate; destroys in order.
class PluginDelegate final : public Delegate {
 public:
  PluginDelegate(void* handle, const RnnlitePluginInfo* info, Delegate* inner)
      : handle_(handle), info_(info), inner_(inner) {}
  ~PluginDelegate() override {
    info_->destroy(inner_);
    // Partitions hold code from the library; the interpreter destroys them
    // (they keep a shared_ptr to this wrapper) before the wrapper dies.
    dlclose(handle_);
  }
  std::string name() const override { return inner_->name(); }
  const DelegateOptions& options() const override { return inner_->options(); }
  std::string device() const override { return inner_->device(); }
  DeviceMemoryStats device_memory() const override { return inner_->device_memory(); }
  SupportResult Supports(const Subgraph& graph, int node_index) const override {
    return inner_->Supports(graph, node_index);
  }
  StatusOr<std::unique_ptr<DelegatePartition>> Compile(const Subgraph& graph, const std::vector<int>& nodes) override {
    return inner_->Compile(graph, nodes);
  }

 private:
  void* handle_;
  const RnnlitePluginInfo* info_;
  Delegate* inner_;
};

StatusOr<std::shared_ptr<Delegate>> OpenPlugin(const std::string& path, const DelegateOptions& options) {
  if (!fs::exists(path)) return NotFound("plugin '" + path + "' does not exist");
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* err = dlerror();
    return Unavailable("cannot load plugin '" + path + "': " + (err ? err : "unknown dlopen error"));
  }
  auto entry = reinterpret_cast<RnnlitePluginEntryFn>(dlsym(handle, RNNLITE_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    dlclose(handle);
    return InvalidArgument("'" + path + "' is not an rnnlite plugin: no " RNNLITE_PLUGIN_ENTRY_SYMBOL " symbol");
  }
  const RnnlitePluginInfo* info = entry();
  if (info == nullptr) {
    dlclose(handle);
    return InvalidArgument("plugin '" + path + "': entry point returned no plugin info");
  }
  if (info->abi_version != RNNLITE_PLUGIN_ABI_VERSION) {
    uint32_t got = info->abi_version;
    dlclose(handle);
    return InvalidArgument("plugin '" + path + "' has ABI version " + std::to_string(got) + ", this rnnlite needs " +
                           std::to_string(RNNLITE_PLUGIN_ABI_VERSION));
  }
  if (info->create == nullptr || info->destroy == nullptr) {
    dlclose(handle);
    return InvalidArgument("plugin '" + path + "': incomplete plugin info (create/destroy missing)");
  }
  char error[512] = {0};
  void* created = info->create(&options, error, sizeof(error));
  if (created == nullptr) {
    // `info` lives in the library: read it before unloading.
    std::string plugin_name = info->name ? info->name : path;
    dlclose(handle);
    error[sizeof(error) - 1] = '\0';
    return Unavailable(plugin_name + " backend unavailable: " + (error[0] ? error : "create() failed"));
  }
  return std::shared_ptr<Delegate>(new PluginDelegate(handle, info, static_cast<Delegate*>(created)));
}

}  // namespace

StatusOr<std::shared_ptr<Delegate>> LoadDelegatePlugin(const std::string& name_or_path, const DelegateOptions& options) {
  if (name_or_path.empty()) return InvalidArgument("empty plugin name");
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".so")) {
    return OpenPlugin(name_or_path, options);
  }
  for (char c : name_or_path) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      return InvalidArgument("invalid backend name '" + name_or_path + "'");
    }
  }
  std::vector<std::string> tried = Candidates(name_or_path);
  for (const std::string& path : tried) {
    if (fs::exists(path)) return OpenPlugin(path, options);
  }
  std::string where;
  for (const std::string& p : tried) where += (where.empty() ? "" : ", ") + p;
  return NotFound("no plugin for backend '" + name_or_path + "' (looked for " +
                  (where.empty() ? std::string("nothing: set RNNLITE_PLUGIN_PATH") : where) + ")");
}

}  // namespace rnnlite
