#include "server/daemon/utf8.h"

#include <cstdint>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"

namespace kiln::server {
namespace {

// Length of the valid UTF-8 sequence at |s[i]|, or 0 when it is invalid.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto c = static_cast<uint8_t>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) {
    n = 1;
    cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 2;
    cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 3;
    cp = c & 0x07;
  } else {
    return 0;
  }
  for (size_t k = 1; k <= n; ++k) {
    if (i + k >= s.size()) return 0;
    const auto cc = static_cast<uint8_t>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (cc & 0x3f);
  }
  // Overlong encodings, surrogates and code points past U+10FFFF.
  if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  return n + 1;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool ReplaceInvalidUtf8(std::string* s) {
  size_t i = FindInvalidUtf8(*s);
  if (i == std::string_view::npos) return false;
  std::string out = s->substr(0, i);
  while (i < s->size()) {
    const size_t n = SequenceLength(*s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(*s, i, n);
      i += n;
    }
  }
  *s = std::move(out);
  return true;
}

size_t ReplaceInvalidUtf8InMessage(google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*message, &fields);
  size_t repaired = 0;
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        std::string scratch;
        for (int i = 0; i < r->FieldSize(*message, f); ++i) {
          const std::string& v = r->GetRepeatedStringReference(*message, f, i, &scratch);
          if (FindInvalidUtf8(v) == std::string_view::npos) continue;
          std::string fixed = v;
          ReplaceInvalidUtf8(&fixed);
          r->SetRepeatedString(message, f, i, std::move(fixed));
          ++repaired;
        }
      } else {
        std::string scratch;
        const std::string& v = r->GetStringReference(*message, f, &scratch);
        if (FindInvalidUtf8(v) == std::string_view::npos) continue;
        std::string fixed = v;
        ReplaceInvalidUtf8(&fixed);
        r->SetString(message, f, std::move(fixed));
        ++repaired;
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*message, f); ++i) {
          repaired += ReplaceInvalidUtf8InMessage(r->MutableRepeatedMessage(message, f, i));
        }
      } else {
        repaired += ReplaceInvalidUtf8InMessage(r->MutableMessage(message, f));
      }
    }
  }
  return repaired;
}

}  // namespace kiln::server
