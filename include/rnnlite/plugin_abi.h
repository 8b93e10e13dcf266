/* The C entry point every backend plugin exports.
 *
 * A plugin is a shared library that defines
 *
 *   const RnnlitePluginInfo* rnnlite_plugin_entry(void);
 *
 * The core calls it once after dlopen and refuses the plugin unless
 * abi_version == RNNLITE_PLUGIN_ABI_VERSION. create() returns an object that
 * implements rnnlite::Delegate (include/rnnlite/delegate.h), built with the
 * same toolchain as the core, or NULL with a message in `error`.
 */
#ifndef RNNLITE_PLUGIN_ABI_H_
#define RNNLITE_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump on any change to this struct or to include/rnnlite/delegate.h. */
#define RNNLITE_PLUGIN_ABI_VERSION 2u
#define RNNLITE_PLUGIN_ENTRY_SYMBOL "rnnlite_plugin_entry"

typedef struct RnnlitePluginInfo {
  uint32_t abi_version;
  const char* name; /* "vulkan", "cuda", ... */
  /* `options` points to an rnnlite::DelegateOptions. Returns an
   * rnnlite::Delegate* owned by the caller (free with destroy), or NULL and
   * a NUL-terminated reason in error[0..error_size). */
  void* (*create)(const void* options, char* error, size_t error_size);
  void (*destroy)(void* delegate);
} RnnlitePluginInfo;

typedef const RnnlitePluginInfo* (*RnnlitePluginEntryFn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RNNLITE_PLUGIN_ABI_H_ */
