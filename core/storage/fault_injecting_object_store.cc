#include "kiln/storage/fault_injecting_object_store.h"

#include "absl/strings/str_cat.h"

namespace kiln::storage {

void FaultInjectingObjectStore::Arm(Op op, Fault fault, int nth, bool sticky, std::string key_substring) {
  absl::MutexLock lock(&mu_);
  op_ = op;
  fault_ = fault;
  countdown_ = nth;
  sticky_ = sticky;
  key_substring_ = std::move(key_substring);
}

void FaultInjectingObjectStore::Disarm() {
  absl::MutexLock lock(&mu_);
  fault_ = Fault::kNone;
}

int FaultInjectingObjectStore::fired() const {
  absl::MutexLock lock(&mu_);
  return fired_;
}

FaultInjectingObjectStore::Fault FaultInjectingObjectStore::Next(Op op, std::string_view key) {
  absl::MutexLock lock(&mu_);
  if (fault_ == Fault::kNone || op != op_ || !(std::string_view(key).find(key_substring_) != std::string_view::npos)) return Fault::kNone;
  if (countdown_ > 1) {
    --countdown_;
    return Fault::kNone;
  }
  ++fired_;
  const Fault fault = fault_;
  if (!sticky_) fault_ = Fault::kNone;
  return fault;
}

absl::Status FaultInjectingObjectStore::Put(std::string_view key, std::string_view data) {
  switch (Next(Op::kPut, key)) {
    case Fault::kNone:
    case Fault::kCorrupt:
      return base_->Put(key, data);
    case Fault::kFail:
      return absl::UnavailableError(absl::StrCat("injected fault: put ", std::string(key)));
    case Fault::kTorn:
      // Best effort: the torn prefix lands; the caller is told it failed.
      (void)base_->Put(key, data.substr(0, data.size() / 2));
      return absl::UnavailableError(absl::StrCat("injected fault: torn put ", std::string(key)));
  }
  return absl::InternalError("unreachable");
}

absl::StatusOr<std::string> FaultInjectingObjectStore::Get(std::string_view key) {
  return GetRange(key, 0, UINT64_MAX);
}

absl::StatusOr<std::string> FaultInjectingObjectStore::GetRange(std::string_view key, uint64_t offset,
                                                                uint64_t length) {
  const Fault fault = Next(Op::kGet, key);
  if (fault == Fault::kFail || fault == Fault::kTorn) {
    return absl::UnavailableError(absl::StrCat("injected fault: get ", std::string(key)));
  }
  auto data = length == UINT64_MAX ? base_->Get(key) : base_->GetRange(key, offset, length);
  if (fault == Fault::kCorrupt && data.ok() && !data->empty()) (*data)[data->size() / 2] ^= 0x5a;
  return data;
}

absl::StatusOr<std::vector<ObjectInfo>> FaultInjectingObjectStore::List(std::string_view prefix) {
  if (Next(Op::kList, prefix) != Fault::kNone) {
    return absl::UnavailableError(absl::StrCat("injected fault: list ", std::string(prefix)));
  }
  return base_->List(prefix);
}

absl::Status FaultInjectingObjectStore::Delete(std::string_view key) {
  if (Next(Op::kDelete, key) != Fault::kNone) {
    return absl::UnavailableError(absl::StrCat("injected fault: delete ", std::string(key)));
  }
  return base_->Delete(key);
}

}  // namespace kiln::storage
