// Wraps an ObjectStore and fails chosen operations, to test that writers
// never acknowledge what was not stored and readers never serve a torn or
// corrupt object as data.
//
// Faults are armed per operation kind and fire on the Nth matching call
// (counting from 1 after arming), once or every time. A "torn" Put models a
// store that breaks contract 1 (a crash mid-upload on a store without
// atomic rename): it writes a prefix of the data, then fails. A "corrupt"
// Get flips a byte of what it returns.
#ifndef KILN_STORAGE_FAULT_INJECTING_OBJECT_STORE_H_
#define KILN_STORAGE_FAULT_INJECTING_OBJECT_STORE_H_

#include <cstdint>
#include <string>

#include "absl/synchronization/mutex.h"
#include "kiln/storage/object_store.h"

namespace kiln::storage {

class FaultInjectingObjectStore : public ObjectStore {
 public:
  enum class Fault { kNone, kFail, kTorn, kCorrupt };
  enum class Op { kPut, kGet, kList, kDelete };

  // |base| must outlive this store.
  explicit FaultInjectingObjectStore(ObjectStore* base) : base_(base) {}

  // The |nth| next call of |op| (whose key contains |key_substring|) gets
  // |fault|; with |sticky| every later matching call too.
  void Arm(Op op, Fault fault, int nth = 1, bool sticky = false, std::string key_substring = "");
  void Disarm();
  int fired() const;

  absl::Status Put(std::string_view key, std::string_view data) override;
  absl::StatusOr<std::string> Get(std::string_view key) override;
  absl::StatusOr<std::string> GetRange(std::string_view key, uint64_t offset,
                                       uint64_t length) override;
  absl::StatusOr<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  absl::Status Delete(std::string_view key) override;
  std::string Describe() const override { return "fault-injecting " + base_->Describe(); }

 private:
  Fault Next(Op op, std::string_view key);

  ObjectStore* base_;
  mutable absl::Mutex mu_;
  Op op_ ABSL_GUARDED_BY(mu_) = Op::kPut;
  Fault fault_ ABSL_GUARDED_BY(mu_) = Fault::kNone;
  int countdown_ ABSL_GUARDED_BY(mu_) = 0;
  bool sticky_ ABSL_GUARDED_BY(mu_) = false;
  std::string key_substring_ ABSL_GUARDED_BY(mu_);
  int fired_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_FAULT_INJECTING_OBJECT_STORE_H_
