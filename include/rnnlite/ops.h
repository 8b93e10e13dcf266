// Operator identities. Builtin ops carry TFLite's BuiltinOperator numbers;
// ops that are not TFLite builtins (rnnlite's fused recurrent op, other
// custom ops) are Op::kCustom plus a custom code string on the node.
#pragma once

#include <cstdint>
#include <string>

namespace rnnlite {

enum class Op : int32_t {
  kAdd = 0,  // ADD
  kAveragePool2d = 1,  // AVERAGE_POOL_2D
  kConcatenation = 2,  // CONCATENATION
  kConv2d = 3,  // CONV_2D
  kDepthwiseConv2d = 4,  // DEPTHWISE_CONV_2D
  kDepthToSpace = 5,  // DEPTH_TO_SPACE
  kDequantize = 6,  // DEQUANTIZE
  kEmbeddingLookup = 7,  // EMBEDDING_LOOKUP
  kFloor = 8,  // FLOOR
  kFullyConnected = 9,  // FULLY_CONNECTED
  kHashtableLookup = 10,  // HASHTABLE_LOOKUP
  kL2Normalization = 11,  // L2_NORMALIZATION
  kL2Pool2d = 12,  // L2_POOL_2D
  kLocalResponseNormalization = 13,  // LOCAL_RESPONSE_NORMALIZATION
  kLogistic = 14,  // LOGISTIC
  kLshProjection = 15,  // LSH_PROJECTION
  kLstm = 16,  // LSTM
  kMaxPool2d = 17,  // MAX_POOL_2D
  kMul = 18,  // MUL
  kRelu = 19,  // RELU
  kReluN1To1 = 20,  // RELU_N1_TO_1
  kRelu6 = 21,  // RELU6
  kReshape = 22,  // RESHAPE
  kResizeBilinear = 23,  // RESIZE_BILINEAR
  kRnn = 24,  // RNN
  kSoftmax = 25,  // SOFTMAX
  kSpaceToDepth = 26,  // SPACE_TO_DEPTH
  kSvdf = 27,  // SVDF
  kTanh = 28,  // TANH
  kConcatEmbeddings = 29,  // CONCAT_EMBEDDINGS
  kSkipGram = 30,  // SKIP_GRAM
  kCall = 31,  // CALL
  kCustom = 32,  // CUSTOM
  kEmbeddingLookupSparse = 33,  // EMBEDDING_LOOKUP_SPARSE
  kPad = 34,  // PAD
  kUnidirectionalSequenceRnn = 35,  // UNIDIRECTIONAL_SEQUENCE_RNN
  kGather = 36,  // GATHER
  kBatchToSpaceNd = 37,  // BATCH_TO_SPACE_ND
  kSpaceToBatchNd = 38,  // SPACE_TO_BATCH_ND
  kTranspose = 39,  // TRANSPOSE
  kMean = 40,  // MEAN
  kSub = 41,  // SUB
  kDiv = 42,  // DIV
  kSqueeze = 43,  // SQUEEZE
  kUnidirectionalSequenceLstm = 44,  // UNIDIRECTIONAL_SEQUENCE_LSTM
  kStridedSlice = 45,  // STRIDED_SLICE
  kBidirectionalSequenceRnn = 46,  // BIDIRECTIONAL_SEQUENCE_RNN
  kExp = 47,  // EXP
  kTopkV2 = 48,  // TOPK_V2
  kSplit = 49,  // SPLIT
  kLogSoftmax = 50,  // LOG_SOFTMAX
  kDelegate = 51,  // DELEGATE
  kBidirectionalSequenceLstm = 52,  // BIDIRECTIONAL_SEQUENCE_LSTM
  kCast = 53,  // CAST
  kPrelu = 54,  // PRELU
  kMaximum = 55,  // MAXIMUM
  kArgMax = 56,  // ARG_MAX
  kMinimum = 57,  // MINIMUM
  kLess = 58,  // LESS
  kNeg = 59,  // NEG
  kPadv2 = 60,  // PADV2
  kGreater = 61,  // GREATER
  kGreaterEqual = 62,  // GREATER_EQUAL
  kLessEqual = 63,  // LESS_EQUAL
  kSelect = 64,  // SELECT
  kSlice = 65,  // SLICE
  kSin = 66,  // SIN
  kTransposeConv = 67,  // TRANSPOSE_CONV
  kSparseToDense = 68,  // SPARSE_TO_DENSE
  kTile = 69,  // TILE
  kExpandDims = 70,  // EXPAND_DIMS
  kEqual = 71,  // EQUAL
  kNotEqual = 72,  // NOT_EQUAL
  kLog = 73,  // LOG
  kSum = 74,  // SUM
  kSqrt = 75,  // SQRT
  kRsqrt = 76,  // RSQRT
  kShape = 77,  // SHAPE
  kPow = 78,  // POW
  kArgMin = 79,  // ARG_MIN
  kFakeQuant = 80,  // FAKE_QUANT
  kReduceProd = 81,  // REDUCE_PROD
  kReduceMax = 82,  // REDUCE_MAX
  kPack = 83,  // PACK
  kLogicalOr = 84,  // LOGICAL_OR
  kOneHot = 85,  // ONE_HOT
  kLogicalAnd = 86,  // LOGICAL_AND
  kLogicalNot = 87,  // LOGICAL_NOT
  kUnpack = 88,  // UNPACK
  kReduceMin = 89,  // REDUCE_MIN
  kFloorDiv = 90,  // FLOOR_DIV
  kReduceAny = 91,  // REDUCE_ANY
  kSquare = 92,  // SQUARE
  kZerosLike = 93,  // ZEROS_LIKE
  kFill = 94,  // FILL
  kFloorMod = 95,  // FLOOR_MOD
  kRange = 96,  // RANGE
  kResizeNearestNeighbor = 97,  // RESIZE_NEAREST_NEIGHBOR
  kLeakyRelu = 98,  // LEAKY_RELU
  kSquaredDifference = 99,  // SQUARED_DIFFERENCE
  kMirrorPad = 100,  // MIRROR_PAD
  kAbs = 101,  // ABS
  kSplitV = 102,  // SPLIT_V
  kUnique = 103,  // UNIQUE
  kCeil = 104,  // CEIL
  kReverseV2 = 105,  // REVERSE_V2
  kAddN = 106,  // ADD_N
  kGatherNd = 107,  // GATHER_ND
  kCos = 108,  // COS
  kWhere = 109,  // WHERE
  kRank = 110,  // RANK
  kElu = 111,  // ELU
  kReverseSequence = 112,  // REVERSE_SEQUENCE
  kMatrixDiag = 113,  // MATRIX_DIAG
  kQuantize = 114,  // QUANTIZE
  kMatrixSetDiag = 115,  // MATRIX_SET_DIAG
  kRound = 116,  // ROUND
  kHardSwish = 117,  // HARD_SWISH
  kIf = 118,  // IF
  kWhile = 119,  // WHILE
  kNonMaxSuppressionV4 = 120,  // NON_MAX_SUPPRESSION_V4
  kNonMaxSuppressionV5 = 121,  // NON_MAX_SUPPRESSION_V5
  kScatterNd = 122,  // SCATTER_ND
  kSelectV2 = 123,  // SELECT_V2
  kDensify = 124,  // DENSIFY
  kSegmentSum = 125,  // SEGMENT_SUM
  kBatchMatmul = 126,  // BATCH_MATMUL
  kPlaceholderForGreaterOpCodes = 127,  // PLACEHOLDER_FOR_GREATER_OP_CODES
  kCumsum = 128,  // CUMSUM
  kCallOnce = 129,  // CALL_ONCE
  kBroadcastTo = 130,  // BROADCAST_TO
  kRfft2d = 131,  // RFFT2D
  kConv3d = 132,  // CONV_3D
  kImag = 133,  // IMAG
  kReal = 134,  // REAL
  kComplexAbs = 135,  // COMPLEX_ABS
  kHashtable = 136,  // HASHTABLE
  kHashtableFind = 137,  // HASHTABLE_FIND
  kHashtableImport = 138,  // HASHTABLE_IMPORT
  kHashtableSize = 139,  // HASHTABLE_SIZE
  kReduceAll = 140,  // REDUCE_ALL
  kConv3dTranspose = 141,  // CONV_3D_TRANSPOSE
  kVarHandle = 142,  // VAR_HANDLE
  kReadVariable = 143,  // READ_VARIABLE
  kAssignVariable = 144,  // ASSIGN_VARIABLE
  kBroadcastArgs = 145,  // BROADCAST_ARGS
  kRandomStandardNormal = 146,  // RANDOM_STANDARD_NORMAL
  kBucketize = 147,  // BUCKETIZE
  kRandomUniform = 148,  // RANDOM_UNIFORM
  kMultinomial = 149,  // MULTINOMIAL
  kGelu = 150,  // GELU
  kDynamicUpdateSlice = 151,  // DYNAMIC_UPDATE_SLICE
  kRelu0To1 = 152,  // RELU_0_TO_1
};

// rnnlite's one recurrent op family (docs/semantics.md, docs/format.md).
inline constexpr const char* kSequenceRnnCustomCode = "RNNLITE_SEQUENCE_RNN";

// "FULLY_CONNECTED"; "BUILTIN(300)" for codes this build does not name.
std::string OpName(Op op);

}  // namespace rnnlite
