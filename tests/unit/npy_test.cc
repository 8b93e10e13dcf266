// The .npy reader/writer of the command line (tools/npy.cc).
//
// Test binaries do not link the CLI's sources, and tools/npy.cc depends only
// on the public headers, so it is compiled into this test directly.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include)

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::SharedTestdata;
using testing::TempDir;

std::vector<uint8_t> Bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// A .npy image with an arbitrary header text (padded the way numpy pads it)
// and payload; `major` picks the format version.
std::vector<uint8_t> RawNpy(const std::string& dict, const std::vector<uint8_t>& payload, int major = 1) {
  const size_t pre = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((pre + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> out = Bytes(std::string("\x93NUMPY", 6));
  out.push_back(static_cast<uint8_t>(major));
  out.push_back(0);
  for (size_t i = 0; i < pre - 8; ++i) out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

template <typename T>
std::vector<uint8_t> Payload(const std::vector<T>& v) {
  std::vector<uint8_t> out(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

StatusOr<npy::Array> ParseBytes(const std::vector<uint8_t>& b) { return npy::Parse(b.data(), b.size()); }

void WriteBytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(b.data(), 1, b.size(), f), b.size());
  std::fclose(f);
}

// Expects failure and that the message mentions `needle`.
void ExpectError(const std::vector<uint8_t>& image, const std::string& needle) {
  auto r = ParseBytes(image);
  ASSERT_FALSE(r.ok()) << "expected an error mentioning '" << needle << "'";
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().ToString();
}

TEST(NpyTest, ParsesTheHeaderNumpyWrites) {
  const std::vector<float> values = {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, -7.0f};
  auto r = ParseBytes(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Payload(values)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->dtype, DType::kFloat32);
  EXPECT_EQ(r->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(r->data, Payload(values));
}

TEST(NpyTest, AcceptsVersions2And3DoubleQuotesAndPython2Longs) {
  const std::vector<int64_t> values = {7, -9, 1LL << 40};
  for (int major : {2, 3}) {
    auto r = ParseBytes(
        RawNpy("{\"descr\": \"<i8\", \"fortran_order\": False, \"shape\": (3L,)}", Payload(values), major));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->dtype, DType::kInt64);
    EXPECT_EQ(r->shape, (std::vector<int64_t>{3}));
    EXPECT_EQ(r->data, Payload(values));
  }
}

TEST(NpyTest, ScalarAndEmptyArrays) {
  auto scalar = ParseBytes(RawNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (), }", Payload<int32_t>({42})));
  ASSERT_TRUE(scalar.ok()) << scalar.status().ToString();
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(scalar->num_elements(), 1);
  auto empty = ParseBytes(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", {}));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->num_elements(), 0);
  EXPECT_TRUE(empty->data.empty());
}

TEST(NpyTest, EncodeRoundTripsEveryDtype) {
  struct Case {
    DType dtype;
    const char* descr;
    size_t item;
  };
  const Case cases[] = {{DType::kFloat32, "<f4", 4}, {DType::kFloat64, "<f8", 8}, {DType::kFloat16, "<f2", 2},
                        {DType::kInt32, "<i4", 4},   {DType::kInt64, "<i8", 8},   {DType::kInt8, "|i1", 1},
                        {DType::kUInt8, "|u1", 1},   {DType::kBool, "|b1", 1}};
  const std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3}, {1, 4, 1, 2}, {0, 3}};
  uint8_t next = 1;
  for (const Case& c : cases) {
    EXPECT_EQ(npy::DescrFor(c.dtype), c.descr);
    for (const auto& shape : shapes) {
      size_t count = 1;
      for (int64_t d : shape) count *= static_cast<size_t>(d);
      std::vector<uint8_t> data(count * c.item);
      for (uint8_t& b : data) b = c.dtype == DType::kBool ? (next++ & 1) : next++;
      auto image = npy::Encode(c.dtype, shape, data.data(), data.size());
      ASSERT_TRUE(image.ok()) << image.status().ToString();
      // numpy's layout: 10-byte preamble + header padded to 64, ending in '\n'.
      const std::vector<uint8_t>& b = image.value();
      ASSERT_GE(b.size(), 64u);
      const size_t header_len = b[8] | (b[9] << 8);
      EXPECT_EQ((10 + header_len) % 64, 0u);
      EXPECT_EQ(b[10 + header_len - 1], '\n');
      auto back = ParseBytes(b);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(back->dtype, c.dtype);
      EXPECT_EQ(back->shape, shape);
      EXPECT_EQ(back->data, data);
    }
  }
}

TEST(NpyTest, EncodeRejectsSizeMismatchAndUnstorableDtypes) {
  std::vector<float> v(5);
  EXPECT_FALSE(npy::Encode(DType::kFloat32, {2, 3}, v.data(), v.size() * 4).ok());
  EXPECT_FALSE(npy::Encode(DType::kFloat32, {-1, 5}, v.data(), v.size() * 4).ok());
  EXPECT_FALSE(npy::Encode(DType::kString, {5}, v.data(), 5).ok());
}

TEST(NpyTest, FileRoundTrip) {
  const std::string dir = TempDir("npy");
  ASSERT_FALSE(dir.empty());
  const std::string path = dir + "/x.npy";
  const std::vector<float> values = {0.5f, -0.25f, 8.0f, 3.0f};
  ASSERT_TRUE(npy::WriteFile(path, DType::kFloat32, {2, 2}, values.data(), 16).ok());
  auto r = npy::ReadFile(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(r->data, Payload(values));
  std::filesystem::remove_all(dir);
}

TEST(NpyTest, ReadsNumpyFilesFromSharedTestdata) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(samples, "tflite-micro-mnist-lstm/mnist_samples.npy");
  auto s = npy::ReadFile(samples);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->dtype, DType::kFloat32);
  EXPECT_EQ(s->shape, (std::vector<int64_t>{10, 1, 28, 28}));
  // Grey levels / 255: every pixel lies in [0, 1] and the images are not blank.
  float max = 0;
  for (size_t i = 0; i < s->data.size() / 4; ++i) {
    float x;
    std::memcpy(&x, s->data.data() + 4 * i, 4);
    ASSERT_GE(x, 0.0f);
    ASSERT_LE(x, 1.0f);
    max = std::max(max, x);
  }
  EXPECT_GT(max, 0.5f);
  auto labels = npy::ReadFile(SharedTestdata("tflite-micro-mnist-lstm/mnist_labels.npy"));
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  EXPECT_EQ(labels->dtype, DType::kInt32);
  EXPECT_EQ(labels->shape, (std::vector<int64_t>{10}));
}

TEST(NpyTest, RejectsFortranOrderBigEndianAndOtherDtypes) {
  const auto f32 = Payload<float>({1, 2, 3, 4});
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", f32), "Fortran");
  ExpectError(RawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", f32), "big-endian");
  ExpectError(RawNpy("{'descr': '<U4', 'fortran_order': False, 'shape': (1,), }", f32), "dtype");
  ExpectError(RawNpy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", f32), "dtype");
  ExpectError(RawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }", f32), "structured");
  ExpectError(RawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", f32), "dtype");
}

TEST(NpyTest, RejectsMalformedHeaders) {
  const auto f32 = Payload<float>({1, 2});
  ExpectError(RawNpy("{'descr': '<f4', 'shape': (2,), }", f32), "lacks");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", f32), "unexpected key");
  ExpectError(RawNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f32), "duplicate");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", f32), "negative");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }", f32), "shape");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", f32), "header");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", f32), "fortran_order");
  ExpectError(RawNpy("['descr', '<f4']", f32), "not a dict");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", f32), "junk");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f32, 4), "version");
  ExpectError(Bytes("NUMPY\x01\x00\x10\x00{}"), "magic");
  ExpectError({}, "magic");
}

TEST(NpyTest, RejectsDataSizeMismatch) {
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", Payload<float>({1, 2})),
              "truncated");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", Payload<float>({1, 2})),
              "unexpected bytes");
}

TEST(NpyTest, HostileSizesFailWithoutAllocating) {
  // Header length far beyond the file.
  std::vector<uint8_t> v2 = Bytes(std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff{}", 14));
  ExpectError(v2, "past the end");
  // Shapes whose byte count overflows 64 bits, or merely exceeds the file.
  ExpectError(RawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }", {}),
              "overflow");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", {}),
              "too large");
  ExpectError(RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", {}), "truncated");

  // The file reader checks the claim against the file size before reading.
  const std::string dir = TempDir("npy_hostile");
  ASSERT_FALSE(dir.empty());
  const std::string path = dir + "/big.npy";
  WriteBytes(path, RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", {}));
  auto r = npy::ReadFile(path);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("big.npy"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(npy::ReadFile(dir + "/absent.npy").ok());
  EXPECT_FALSE(npy::ReadFile(dir).ok());
  // A file over the caller's size cap is rejected unread.
  WriteBytes(path, RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Payload<float>({1, 2})));
  EXPECT_TRUE(npy::ReadFile(path).ok());
  EXPECT_FALSE(npy::ReadFile(path, 16).ok());
  std::filesystem::remove_all(dir);
}

TEST(NpyTest, TruncationsAndBitFlipsNeverCrash) {
  const std::vector<uint8_t> good =
      RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Payload<float>({1, 2, 3, 4, 5, 6}));
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(ParseBytes(cut).ok()) << "prefix of " << n << " bytes";
  }
  size_t accepted = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> flipped = good;
      flipped[i] ^= static_cast<uint8_t>(1u << bit);
      auto r = ParseBytes(flipped);
      if (r.ok()) {
        ++accepted;
        // Whatever was accepted is self-consistent.
        EXPECT_EQ(static_cast<size_t>(r->num_elements()) * DTypeSize(r->dtype), r->data.size());
      }
    }
  }
  // Flips in the payload (and harmless ones in the padding) still parse.
  EXPECT_GT(accepted, 24u * 8u - 1u);
}

}  // namespace
}  // namespace rnnlite
