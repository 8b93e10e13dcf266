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

// The same shaders with fp16 weight storage (RNNLITE_FP16_WEIGHTS).
const uint32_t kGemmF16[] = {
#include "gemm_f16.spv.inc"
};
const uint32_t kLstmStepF16[] = {
#include "lstm_step_f16.spv.inc"
};
const uint32_t kLstmLayerNormF16[] = {
#include "lstm_layer_norm_f16.spv.inc"
};
const uint32_t kLstmProjectF16[] = {
#include "lstm_project_f16.spv.inc"
};
const uint32_t kGruStepF16[] = {
#include "gru_step_f16.spv.inc"
};
const uint32_t kRnnStepF16[] = {
#include "rnn_step_f16.spv.inc"
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

const ShaderInfo kShadersF16[] = {
    RNNLITE_SHADER("gemm_f16", kGemmF16, 4, kGemmPush),
    RNNLITE_SHADER("lstm_step_f16", kLstmStepF16, 7, kStepPush),
    RNNLITE_SHADER("lstm_layer_norm_f16", kLstmLayerNormF16, 7, kStepPush),
    RNNLITE_SHADER("lstm_project_f16", kLstmProjectF16, 7, kStepPush),
    RNNLITE_SHADER("gru_step_f16", kGruStepF16, 7, kStepPush),
    RNNLITE_SHADER("rnn_step_f16", kRnnStepF16, 7, kStepPush),
};

}  // namespace

const ShaderInfo& GetShader(ShaderId id, bool fp16_weights) {
  return fp16_weights ? kShadersF16[static_cast<int>(id)] : kShaders[static_cast<int>(id)];
}

}  // namespace rnnlite::vk
