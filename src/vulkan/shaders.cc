// The SPIR-V of shaders/*.comp, compiled by glslc at build time (see
// CMakeLists.txt) and embedded here.
#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {
namespace {

const uint32_t kGemm[] = {
#include "gemm.spv.inc"
};
const uint32_t kLstmStep[] = {
#include "lstm_step.spv.inc"
};
const uint32_t kLstmLayerNorm[] = {
#include "lstm_layer_norm.spv.inc"
};
const uint32_t kLstmProject[] = {
#include "lstm_project.spv.inc"
};
const uint32_t kGruStep[] = {
#include "gru_step.spv.inc"
};
const uint32_t kRnnStep[] = {
#include "rnn_step.spv.inc"
};

// Push blocks: gemm {m, n, k, a_zstride, c_zstride}; step shaders the
// eight words of common.glsl's Push.
constexpr uint32_t kGemmPush = 5 * sizeof(uint32_t);
constexpr uint32_t kStepPush = 8 * sizeof(uint32_t);

#define RNNLITE_SHADER(name, words, bindings, push) \
  ShaderInfo { name, words, sizeof(words) / sizeof(uint32_t), bindings, push }

const ShaderInfo kShaders[] = {
    RNNLITE_SHADER("gemm", kGemm, 4, kGemmPush),
    RNNLITE_SHADER("lstm_step", kLstmStep, 7, kStepPush),
    RNNLITE_SHADER("lstm_layer_norm", kLstmLayerNorm, 7, kStepPush),
    RNNLITE_SHADER("lstm_project", kLstmProject, 7, kStepPush),
    RNNLITE_SHADER("gru_step", kGruStep, 7, kStepPush),
    RNNLITE_SHADER("rnn_step", kRnnStep, 7, kStepPush),
};

}  // namespace

const ShaderInfo& GetShader(ShaderId id) { return kShaders[static_cast<int>(id)]; }

}  // namespace rnnlite::vk
