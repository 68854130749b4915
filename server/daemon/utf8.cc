#include "server/daemon/utf8.h"

#include <cstdint>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"

namespace kiln::server {

bool ReplaceInvalidUtf8(std::string* s) {
  size_t i = FindInvalidUtf8(*s);
  if (i == std::string_view::npos) return false;
  std::string out = s->substr(0, i);
  while (i < s->size()) {
    const size_t n = Utf8SequenceLength(*s, i);
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
