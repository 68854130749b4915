#include "core/ingest/jfr/jfr_string.h"

#include "fmt/format.h"

namespace kiln::jfr {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

constexpr uint32_t kReplacement = 0xfffd;

}  // namespace

void ReadString(ByteReader& r, StringValue* out) {
  out->is_null = false;
  out->is_pool_key = false;
  out->pool_key = 0;
  out->text.clear();
  const size_t at = r.pos();
  const uint8_t encoding = r.U8();
  if (!r.ok()) return;
  switch (encoding) {
    case 0:
      out->is_null = true;
      return;
    case 1:
      return;
    case 2:
      out->is_pool_key = true;
      out->pool_key = r.Long();
      return;
    case 3: {
      const uint32_t n = r.Count("UTF-8 string length");
      out->text.assign(r.Bytes(n));
      return;
    }
    case 4: {
      // Each UTF-16 unit takes at least one byte, so Count bounds the loop.
      const uint32_t n = r.Count("UTF-16 string length");
      out->text.reserve(n);
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        uint32_t unit = r.Short();
        if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < n) {
          const size_t before_low = r.pos();
          const uint32_t low = r.Short();
          if (low >= 0xdc00 && low < 0xe000) {
            AppendUtf8(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), &out->text);
            ++i;
            continue;
          }
          r.Seek(before_low);
          unit = kReplacement;
        } else if (unit >= 0xd800 && unit < 0xe000) {
          unit = kReplacement;
        }
        AppendUtf8(unit, &out->text);
      }
      return;
    }
    case 5: {
      const uint32_t n = r.Count("Latin-1 string length");
      for (char c : r.Bytes(n)) AppendUtf8(static_cast<uint8_t>(c), &out->text);
      return;
    }
    default:
      r.Seek(at);
      r.Fail(fmt::format("unknown string encoding {} (expected 0..5)", encoding));
  }
}

void SkipString(ByteReader& r) {
  const size_t at = r.pos();
  const uint8_t encoding = r.U8();
  if (!r.ok()) return;
  switch (encoding) {
    case 0:
    case 1:
      return;
    case 2:
      (void)r.Long();
      return;
    case 3:
    case 5:
      r.Skip(r.Count("string length"));
      return;
    case 4: {
      const uint32_t n = r.Count("UTF-16 string length");
      for (uint32_t i = 0; i < n && r.ok(); ++i) (void)r.Short();
      return;
    }
    default:
      r.Seek(at);
      r.Fail(fmt::format("unknown string encoding {} (expected 0..5)", encoding));
  }
}

}  // namespace kiln::jfr
