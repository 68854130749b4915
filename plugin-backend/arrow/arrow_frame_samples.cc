// kiln_arrow_frame_samples OUT_DIR: writes sample data frames as Arrow IPC
// files (OUT_DIR/<name>.arrow) and OUT_DIR/manifest.json, which states what
// each frame holds: schema and field metadata, Arrow types and every value.
// tests/node/arrow_frames_check.mjs decodes the files with npm apache-arrow
// and compares them with the manifest, so the expected values come from the
// frames the plugin built, not from a second copy in the script.
//
// Manifest values: strings as strings; int64 and times (ns) as decimal
// strings (exact beyond 2^53); uint16 and enum indexes as numbers; float64
// as strings Number() parses exactly ("NaN", "Infinity", "-0", shortest
// round-trip digits); bools as booleans; nulls as null.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "plugin-backend/arrow/arrow_file_writer.h"
#include "plugin-backend/arrow/data_frame.h"
#include "plugin-backend/arrow/json_string.h"

namespace kiln::plugin {
namespace {

constexpr char kFlameGraphMeta[] = R"({"typeVersion":[0,0],"preferredVisualisationType":"flamegraph"})";

std::string EnumConfig(const std::vector<std::string>& labels) {
  std::string json = R"({"type":{"enum":{"text":[)";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) json.push_back(',');
    AppendJsonString(labels[i], &json);
  }
  json += "]}}}";
  return json;
}

Frame Strings() {
  Frame frame("strings", "A");
  Field& s = frame.AddField("text", FieldType::kString);
  for (const char* v : {"", "hello", "ünïcödé", "日本語のラベル", "emoji 🔥🧵", "", "quote \" backslash \\ newline \n tab \t",
                        "nul-free \x01\x1f control", "a"}) {
    s.AppendString(v);
  }
  s.AppendString(std::string(5000, 'x') + "end");
  return frame;
}

Frame Numbers() {
  Frame frame("numbers", "B");
  frame.set_meta_json(R"json({"typeVersion":[0,0],"executedQueryString":"sum(rate(cpu[1m]))"})json");
  Field& i = frame.AddField("int64", FieldType::kInt64);
  Field& f = frame.AddField("float64", FieldType::kFloat64);
  Field& u = frame.AddField("uint16", FieldType::kUint16);
  const int64_t big = (int64_t{1} << 53) + 1;
  const std::vector<int64_t> ints = {0, 1, -1, big, -big, std::numeric_limits<int64_t>::max(),
                                     std::numeric_limits<int64_t>::min(), 1234567890123456789, -42};
  const std::vector<double> floats = {0.5, -2.25, 0.1, 1e-300, -1.7976931348623157e308,
                                      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(), -0.0};
  const std::vector<uint16_t> u16s = {0, 1, 65535, 32768, 255, 256, 7, 65534, 12345};
  for (size_t r = 0; r < ints.size(); ++r) {
    i.AppendInt64(ints[r]);
    f.AppendFloat64(floats[r]);
    u.AppendUint16(u16s[r]);
  }
  f.set_labels({{"service_name", "checkout"}, {"region", "eu-west-1"}, {"ünï", "cödé \"q\""}});
  f.set_config_json(R"({"unit":"ns","displayName":"CPU \"time\" ⏱","decimals":2})");
  i.set_config_json(R"({"unit":"short"})");
  return frame;
}

// 11 rows: validity bitmaps span two bytes.
Frame Nullable() {
  Frame frame("nullable", "C");
  Field& s = frame.AddField("s", FieldType::kString, true);
  Field& i = frame.AddField("i", FieldType::kInt64, true);
  Field& f = frame.AddField("f", FieldType::kFloat64, true);
  Field& b = frame.AddField("b", FieldType::kBool, true);
  Field& t = frame.AddField("t", FieldType::kTime, true);
  Field& e = frame.AddField("e", FieldType::kEnum, true);
  Field& u = frame.AddField("u", FieldType::kUint16, true);
  Field& no_nulls = frame.AddField("nullable_without_nulls", FieldType::kInt64, true);
  e.set_config_json(EnumConfig({"zero", "one", "two"}));
  for (int r = 0; r < 11; ++r) {
    if (r % 3 == 0) s.AppendNull(); else s.AppendString(fmt::format("row {} ✓", r));
    if (r % 4 == 1) i.AppendNull(); else i.AppendInt64(-1000000000000 * r);
    if (r == 10) f.AppendNull(); else f.AppendFloat64(r / 4.0);
    if (r % 2 == 0) b.AppendNull(); else b.AppendBool(r % 3 == 0);
    if (r == 0 || r == 9) t.AppendNull(); else t.AppendTime(1700000000000000000 + r * 1000001);
    if (r % 5 == 2) e.AppendNull(); else e.AppendUint16(static_cast<uint16_t>(r % 3));
    if (r < 10) u.AppendNull(); else u.AppendUint16(9);
    no_nulls.AppendInt64(r);
  }
  return frame;
}

Frame BoolsAndTimes() {
  Frame frame("bools_and_times", "D");
  Field& b = frame.AddField("ok", FieldType::kBool);
  Field& t = frame.AddField("time", FieldType::kTime);
  const std::vector<int64_t> times = {0, 1, -1, 1700000000123456789, -2208988800000000000,
                                      std::numeric_limits<int64_t>::max(), 1000000000, 1700000060000000000,
                                      1699999999999999999, 86400000000000};
  for (size_t r = 0; r < times.size(); ++r) {
    b.AppendBool((r * 7 + 3) % 5 < 2);
    t.AppendTime(times[r]);
  }
  return frame;
}

// The shape Grafana's flame graph panel reads (grafana-plugin.md §4).
Frame FlameGraph() {
  Frame frame("response", "flame");
  frame.set_meta_json(kFlameGraphMeta);
  Field& level = frame.AddField("level", FieldType::kInt64);
  Field& value = frame.AddField("value", FieldType::kInt64);
  Field& self = frame.AddField("self", FieldType::kInt64);
  Field& label = frame.AddField("label", FieldType::kEnum);
  value.set_config_json(R"({"unit":"ns"})");
  self.set_config_json(R"({"unit":"ns"})");
  label.set_config_json(EnumConfig({"total", "main", "runtime.mallocgc", "std::vector<int>::push_back(int&&)",
                                    "Ünïcode::naïve_函数", "quote\"and\\back"}));
  struct Row { int64_t level, value, self; uint16_t label; };
  for (const Row& r : std::vector<Row>{{0, 100, 0, 0}, {1, 70, 10, 1}, {2, 40, 40, 2}, {2, 20, 15, 3},
                                       {3, 5, 5, 4}, {1, 30, 25, 5}, {2, 5, 5, 2}}) {
    level.AppendInt64(r.level);
    value.AppendInt64(r.value);
    self.AppendInt64(r.self);
    label.AppendUint16(r.label);
  }
  return frame;
}

// Grafana's "no data" flame graph: the same fields, zero rows, plus every
// other type.
Frame Empty() {
  Frame frame("empty", "E");
  frame.set_meta_json(kFlameGraphMeta);
  frame.AddField("level", FieldType::kInt64);
  frame.AddField("label", FieldType::kEnum).set_config_json(EnumConfig({}));
  frame.AddField("s", FieldType::kString);
  frame.AddField("ns", FieldType::kString, true);
  frame.AddField("f", FieldType::kFloat64, true);
  frame.AddField("b", FieldType::kBool);
  frame.AddField("t", FieldType::kTime);
  frame.AddField("u", FieldType::kUint16);
  return frame;
}

Frame NoFields() { return Frame("no_fields", ""); }

// A metrics series frame: time + value with series labels.
Frame Series() {
  Frame frame("series", "metrics");
  frame.set_meta_json(R"({"typeVersion":[0,0],"preferredVisualisationType":"graph","custom":{"rateCalculated":true}})");
  Field& t = frame.AddField("time", FieldType::kTime);
  Field& v = frame.AddField("cpu", FieldType::kFloat64);
  v.set_labels({{"service_name", "api"}, {"pod", "api-7f9c"}, {"__name__", "process_cpu"}, {"empty", ""}});
  v.set_config_json(R"({"unit":"cores"})");
  for (int r = 0; r < 5; ++r) {
    t.AppendTime(int64_t{1700000000000} * 1000000 + int64_t{15000000000} * r);
    v.AppendFloat64(0.125 * r - 0.25);
  }
  return frame;
}

// Enough rows that bitmaps (>4096 bytes) and int32 offsets (>1024 entries)
// are written in several chunks; seeded, so the file is the same every run.
Frame Large() {
  Frame frame("large", "F");
  constexpr size_t kRows = 40000;
  Field& s = frame.AddField("s", FieldType::kString, true);
  Field& i = frame.AddField("i", FieldType::kInt64);
  Field& b = frame.AddField("b", FieldType::kBool);
  Field& f = frame.AddField("f", FieldType::kFloat64, true);
  std::mt19937_64 rng(20261128);
  for (size_t r = 0; r < kRows; ++r) {
    const uint64_t x = rng();
    if (x % 11 == 0) s.AppendNull(); else s.AppendString(std::string(x % 7, static_cast<char>('a' + x % 26)));
    i.AppendInt64(static_cast<int64_t>(x));
    b.AppendBool((x >> 7) & 1);
    if (x % 13 == 0) f.AppendNull(); else f.AppendFloat64(static_cast<double>(x >> 11) / 4096.0);
  }
  return frame;
}

// What the test expects of each field type, written from grafana-plugin.md §3
// independently of the writer's own mapping.
struct TypeExpectation {
  const char* arrow;
  const char* tstype;
};

TypeExpectation Expect(FieldType type) {
  switch (type) {
    case FieldType::kString: return {"utf8", "string"};
    case FieldType::kInt64: return {"int64", "number"};
    case FieldType::kUint16: return {"uint16", "number"};
    case FieldType::kFloat64: return {"float64", "number"};
    case FieldType::kBool: return {"bool", "boolean"};
    case FieldType::kTime: return {"timestamp_ns", "time"};
    case FieldType::kEnum: return {"uint16", "enum"};
  }
  return {"?", "?"};
}

std::string FloatText(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", v);
}

nlohmann::json Values(const Field& f) {
  nlohmann::json values = nlohmann::json::array();
  for (size_t r = 0; r < f.size(); ++r) {
    if (!f.validity().empty() && f.validity()[r] == 0) {
      values.push_back(nullptr);
      continue;
    }
    switch (f.type()) {
      case FieldType::kString: {
        const auto begin = static_cast<size_t>(f.string_offsets()[r]);
        const auto end = static_cast<size_t>(f.string_offsets()[r + 1]);
        values.push_back(f.string_data().substr(begin, end - begin));
        break;
      }
      case FieldType::kInt64:
      case FieldType::kTime: values.push_back(std::to_string(f.int64s()[r])); break;
      case FieldType::kUint16:
      case FieldType::kEnum: values.push_back(f.uint16s()[r]); break;
      case FieldType::kFloat64: values.push_back(FloatText(f.float64s()[r])); break;
      case FieldType::kBool: values.push_back(f.bools()[r] != 0); break;
    }
  }
  return values;
}

nlohmann::json Describe(const Frame& frame, const std::string& file) {
  nlohmann::json fields = nlohmann::json::array();
  for (const Field& f : frame.fields()) {
    const TypeExpectation expect = Expect(f.type());
    nlohmann::json labels = nullptr;
    if (!f.labels().empty()) {
      labels = nlohmann::json::object();
      for (const auto& [k, v] : f.labels()) labels[k] = v;
    }
    fields.push_back({
        {"name", f.name()},
        {"type", expect.arrow},
        {"tstype", expect.tstype},
        {"nullable", f.nullable()},
        {"nullCount", f.null_count()},
        {"labels", labels},
        {"config", f.config_json().empty() ? nlohmann::json(nullptr) : nlohmann::json(f.config_json())},
        {"values", Values(f)},
    });
  }
  return {
      {"file", file},
      {"name", frame.name()},
      {"refId", frame.ref_id()},
      {"meta", frame.meta_json().empty() ? nlohmann::json(nullptr) : nlohmann::json(frame.meta_json())},
      {"rows", frame.rows()},
      {"fields", fields},
  };
}

int Run(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "kiln_arrow_frame_samples: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }
  const std::vector<Frame> frames = {Strings(), Numbers(), Nullable(), BoolsAndTimes(), FlameGraph(),
                                     Empty(),   NoFields(), Series(),  Large()};
  nlohmann::json manifest = {{"frames", nlohmann::json::array()}};
  for (const Frame& frame : frames) {
    auto bytes = EncodeArrowFile(frame);
    if (!bytes.ok()) {
      std::fprintf(stderr, "kiln_arrow_frame_samples: frame %s: %s\n", frame.name().c_str(),
                   std::string(bytes.status().message()).c_str());
      return 1;
    }
    const std::string file = frame.name() + ".arrow";
    std::ofstream out(dir / file, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out.flush()) {
      std::fprintf(stderr, "kiln_arrow_frame_samples: cannot write %s\n", (dir / file).c_str());
      return 1;
    }
    manifest["frames"].push_back(Describe(frame, file));
  }
  std::ofstream out(dir / "manifest.json", std::ios::trunc);
  out << manifest.dump(1) << "\n";
  if (!out.flush()) {
    std::fprintf(stderr, "kiln_arrow_frame_samples: cannot write %s\n", (dir / "manifest.json").c_str());
    return 1;
  }
  std::printf("wrote %zu frames and manifest.json to %s\n", frames.size(), dir.c_str());
  return 0;
}

}  // namespace
}  // namespace kiln::plugin

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  return kiln::plugin::Run(argv[1]);
}
