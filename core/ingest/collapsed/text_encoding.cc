#include "core/ingest/collapsed/text_encoding.h"

namespace kiln {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string_view DecodeUtf16(std::string_view bytes, bool big_endian, std::string* out,
                             int64_t* replaced) {
  out->clear();
  out->reserve(bytes.size() / 2);
  auto unit = [&](size_t i) -> char16_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return static_cast<char16_t>(big_endian ? (b0 << 8 | b1) : (b1 << 8 | b0));
  };
  int64_t bad = 0;
  const size_t n = bytes.size() & ~size_t{1};
  for (size_t i = 0; i < n; i += 2) {
    const char16_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 2 < n) {
        const char16_t low = unit(i + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          AppendUtf8(0x10000 + ((char32_t{u} - 0xD800) << 10) + (char32_t{low} - 0xDC00), out);
          i += 2;
          continue;
        }
      }
      AppendUtf8(kReplacement, out);
      ++bad;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      AppendUtf8(kReplacement, out);
      ++bad;
    } else {
      AppendUtf8(u, out);
    }
  }
  if (bytes.size() != n) {
    AppendUtf8(kReplacement, out);
    ++bad;
  }
  if (replaced != nullptr) *replaced += bad;
  return *out;
}

}  // namespace

TextEncoding DetectTextEncoding(std::string_view data) {
  if (data.starts_with("\xEF\xBB\xBF")) return TextEncoding::kUtf8Bom;
  if (data.starts_with("\xFF\xFE")) return TextEncoding::kUtf16Le;
  if (data.starts_with("\xFE\xFF")) return TextEncoding::kUtf16Be;
  return TextEncoding::kUtf8;
}

std::string_view DecodeTextToUtf8(std::string_view data, std::string* storage, int64_t* replaced) {
  switch (DetectTextEncoding(data)) {
    case TextEncoding::kUtf8:
      return data;
    case TextEncoding::kUtf8Bom:
      return data.substr(3);
    case TextEncoding::kUtf16Le:
      return DecodeUtf16(data.substr(2), /*big_endian=*/false, storage, replaced);
    case TextEncoding::kUtf16Be:
      return DecodeUtf16(data.substr(2), /*big_endian=*/true, storage, replaced);
  }
  return data;
}

}  // namespace kiln
