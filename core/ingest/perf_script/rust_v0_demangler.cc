#include "core/ingest/perf_script/rust_v0_demangler.h"

#include <cstdint>
#include <limits>

namespace kiln {
namespace {

constexpr size_t kMaxSymbolLength = 4096;
constexpr size_t kMaxOutputLength = 8192;
constexpr int kMaxDepth = 200;

const char* BasicType(char tag) {
  switch (tag) {
    case 'b': return "bool";
    case 'c': return "char";
    case 'e': return "str";
    case 'u': return "()";
    case 'a': return "i8";
    case 's': return "i16";
    case 'l': return "i32";
    case 'x': return "i64";
    case 'n': return "i128";
    case 'i': return "isize";
    case 'h': return "u8";
    case 't': return "u16";
    case 'm': return "u32";
    case 'y': return "u64";
    case 'o': return "u128";
    case 'j': return "usize";
    case 'f': return "f32";
    case 'd': return "f64";
    case 'z': return "!";
    case 'p': return "_";
    case 'v': return "...";
    default: return nullptr;
  }
}

// A recursive-descent printer over the symbol after "_R". Any malformed
// input sets |ok_| to false; callers then discard the output. Printing can
// be switched off (|out_| null) to skip a subtree, as for an impl's own path.
class Printer {
 public:
  explicit Printer(std::string_view sym) : sym_(sym) {}

  std::optional<std::string> Run() {
    std::string out;
    out_ = &out;
    PrintPath(/*in_value=*/true);
    // The instantiating crate, when present, is a second path: parsed, not shown.
    if (ok_ && pos_ < sym_.size() && sym_[pos_] >= 'A' && sym_[pos_] <= 'Z') {
      std::string* saved = out_;
      out_ = nullptr;
      PrintPath(false);
      out_ = saved;
    }
    // Anything after that must be a vendor suffix (".llvm.123", "$...").
    if (ok_ && pos_ < sym_.size() && sym_[pos_] != '.' && sym_[pos_] != '$') ok_ = false;
    if (!ok_ || out.size() > kMaxOutputLength) return std::nullopt;
    return out;
  }

 private:
  bool Eat(char c) {
    if (pos_ < sym_.size() && sym_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char Next() {
    if (pos_ >= sym_.size()) {
      ok_ = false;
      return '\0';
    }
    return sym_[pos_++];
  }
  void Print(std::string_view s) {
    if (out_ == nullptr || !ok_) return;
    if (out_->size() + s.size() > kMaxOutputLength) {
      ok_ = false;
      return;
    }
    out_->append(s);
  }
  void PrintNumber(uint64_t v) { Print(std::to_string(v)); }

  bool PushDepth() {
    if (++depth_ > kMaxDepth) ok_ = false;
    return ok_;
  }
  void PopDepth() { --depth_; }

  // <base-62-number> = {0-9a-zA-Z} "_"; "_" is 0, "0_" is 1, …
  uint64_t Integer62() {
    if (Eat('_')) return 0;
    uint64_t x = 0;
    while (ok_) {
      const char c = Next();
      if (c == '_') break;
      uint64_t d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'z') {
        d = 10 + (c - 'a');
      } else if (c >= 'A' && c <= 'Z') {
        d = 36 + (c - 'A');
      } else {
        ok_ = false;
        return 0;
      }
      if (x > (std::numeric_limits<uint64_t>::max() - d) / 62) {
        ok_ = false;
        return 0;
      }
      x = x * 62 + d;
    }
    if (x == std::numeric_limits<uint64_t>::max()) ok_ = false;
    return x + 1;
  }
  uint64_t OptInteger62(char tag) {
    if (!Eat(tag)) return 0;
    const uint64_t v = Integer62();
    if (v == std::numeric_limits<uint64_t>::max()) ok_ = false;
    return v + 1;
  }
  uint64_t Disambiguator() { return OptInteger62('s'); }

  // <identifier> = ["u"] <decimal-number> ["_"] <bytes>
  std::string_view Ident() {
    if (Eat('u')) {  // Punycode: not supported.
      ok_ = false;
      return {};
    }
    if (pos_ >= sym_.size() || sym_[pos_] < '0' || sym_[pos_] > '9') {
      ok_ = false;
      return {};
    }
    size_t len = 0;
    if (sym_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < sym_.size() && sym_[pos_] >= '0' && sym_[pos_] <= '9') {
        len = len * 10 + (sym_[pos_++] - '0');
        if (len > sym_.size()) {
          ok_ = false;
          return {};
        }
      }
    }
    Eat('_');
    if (len > sym_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string_view ident = sym_.substr(pos_, len);
    pos_ += len;
    return ident;
  }

  // Runs |fn| at the position a "B<base-62>" backref points to, then comes back.
  template <typename Fn>
  void Backref(Fn&& fn) {
    const size_t start = pos_ - 1;  // the 'B'
    const uint64_t target = Integer62();
    if (!ok_ || target >= start) {
      ok_ = false;
      return;
    }
    if (out_ == nullptr) return;  // skipping: the target was checked when first seen
    if (!PushDepth()) return;
    const size_t saved = pos_;
    pos_ = static_cast<size_t>(target);
    fn();
    pos_ = saved;
    PopDepth();
  }

  void PrintLifetime(uint64_t index) {
    if (out_ == nullptr) return;
    Print("'");
    if (index == 0) {
      Print("_");
      return;
    }
    if (index > bound_lifetimes_) {
      ok_ = false;
      return;
    }
    const uint64_t depth = bound_lifetimes_ - index;
    if (depth < 26) {
      const char c = static_cast<char>('a' + depth);
      Print(std::string_view(&c, 1));
    } else {
      Print("_");
      PrintNumber(depth);
    }
  }

  template <typename Fn>
  void InBinder(Fn&& fn) {
    const uint64_t bound = OptInteger62('G');
    if (!ok_) return;
    if (out_ == nullptr) {
      fn();
      return;
    }
    if (bound > 64) {
      ok_ = false;
      return;
    }
    if (bound > 0) {
      Print("for<");
      for (uint64_t i = 0; i < bound; ++i) {
        if (i > 0) Print(", ");
        ++bound_lifetimes_;
        PrintLifetime(1);
      }
      Print("> ");
    }
    fn();
    bound_lifetimes_ -= bound;
  }

  // Items until "E", separated by |sep|; returns how many.
  template <typename Fn>
  size_t SepList(Fn&& fn, std::string_view sep) {
    size_t i = 0;
    while (ok_ && !Eat('E')) {
      if (i > 0) Print(sep);
      fn();
      ++i;
      if (pos_ >= sym_.size() && ok_) {
        ok_ = false;
        break;
      }
    }
    return i;
  }

  void PrintPath(bool in_value) {
    if (!PushDepth()) return;
    const char tag = Next();
    switch (tag) {
      case 'C': {
        Disambiguator();  // the crate hash: hidden
        Print(Ident());
        break;
      }
      case 'N': {
        const char ns = Next();
        if (!((ns >= 'A' && ns <= 'Z') || (ns >= 'a' && ns <= 'z'))) {
          ok_ = false;
          break;
        }
        PrintPath(in_value);
        const uint64_t dis = Disambiguator();
        const std::string_view name = Ident();
        if (ns >= 'A' && ns <= 'Z') {
          Print("::{");
          if (ns == 'C') {
            Print("closure");
          } else if (ns == 'S') {
            Print("shim");
          } else {
            Print(std::string_view(&ns, 1));
          }
          if (!name.empty()) {
            Print(":");
            Print(name);
          }
          Print("#");
          PrintNumber(dis);
          Print("}");
        } else if (!name.empty()) {
          Print("::");
          Print(name);
        }
        break;
      }
      case 'M':
      case 'X':
      case 'Y': {
        if (tag != 'Y') {
          Disambiguator();
          std::string* saved = out_;
          out_ = nullptr;
          PrintPath(false);
          out_ = saved;
        }
        Print("<");
        PrintType();
        if (tag != 'M') {
          Print(" as ");
          PrintPath(false);
        }
        Print(">");
        break;
      }
      case 'I': {
        PrintPath(in_value);
        if (in_value) Print("::");
        Print("<");
        SepList([this] { PrintGenericArg(); }, ", ");
        Print(">");
        break;
      }
      case 'B':
        Backref([this, in_value] { PrintPath(in_value); });
        break;
      default:
        ok_ = false;
    }
    PopDepth();
  }

  void PrintGenericArg() {
    if (Eat('L')) {
      PrintLifetime(Integer62());
    } else if (Eat('K')) {
      PrintConst();
    } else {
      PrintType();
    }
  }

  void PrintType() {
    const char tag = Next();
    if (!ok_) return;
    if (const char* basic = BasicType(tag)) {
      Print(basic);
      return;
    }
    if (!PushDepth()) return;
    switch (tag) {
      case 'R':
      case 'Q': {
        Print("&");
        if (Eat('L')) {
          const uint64_t lt = Integer62();
          if (lt != 0) {
            PrintLifetime(lt);
            Print(" ");
          }
        }
        if (tag == 'Q') Print("mut ");
        PrintType();
        break;
      }
      case 'P':
      case 'O':
        Print(tag == 'P' ? "*const " : "*mut ");
        PrintType();
        break;
      case 'A':
      case 'S':
        Print("[");
        PrintType();
        if (tag == 'A') {
          Print("; ");
          PrintConst();
        }
        Print("]");
        break;
      case 'T': {
        Print("(");
        const size_t n = SepList([this] { PrintType(); }, ", ");
        if (n == 1) Print(",");
        Print(")");
        break;
      }
      case 'F':
        InBinder([this] { PrintFnSig(); });
        break;
      case 'D': {
        Print("dyn ");
        InBinder([this] { SepList([this] { PrintDynTrait(); }, " + "); });
        if (!Eat('L')) {
          ok_ = false;
          break;
        }
        const uint64_t lt = Integer62();
        if (lt != 0) {
          Print(" + ");
          PrintLifetime(lt);
        }
        break;
      }
      case 'B':
        Backref([this] { PrintType(); });
        break;
      default:
        --pos_;  // a path names the type
        PrintPath(false);
    }
    PopDepth();
  }

  void PrintFnSig() {
    const bool is_unsafe = Eat('U');
    std::string_view abi;
    bool has_abi = false;
    if (Eat('K')) {
      has_abi = true;
      if (Eat('C')) {
        abi = "C";
      } else {
        abi = Ident();
        if (abi.empty()) ok_ = false;
      }
    }
    if (is_unsafe) Print("unsafe ");
    if (has_abi) {
      Print("extern \"");
      // '-' in ABI names ("C-unwind") was mangled as '_'.
      for (char c : abi) Print(c == '_' ? std::string_view("-") : std::string_view(&c, 1));
      Print("\" ");
    }
    Print("fn(");
    SepList([this] { PrintType(); }, ", ");
    Print(")");
    if (!Eat('u')) {
      Print(" -> ");
      PrintType();
    }
  }

  void PrintDynTrait() {
    bool open = PrintPathMaybeOpenGenerics();
    while (ok_ && Eat('p')) {
      Print(open ? ", " : "<");
      open = true;
      Print(Ident());
      Print(" = ");
      PrintType();
    }
    if (open) Print(">");
  }

  bool PrintPathMaybeOpenGenerics() {
    if (Eat('B')) {
      bool open = false;
      Backref([this, &open] { open = PrintPathMaybeOpenGenerics(); });
      return open;
    }
    if (Eat('I')) {
      PrintPath(false);
      Print("<");
      SepList([this] { PrintGenericArg(); }, ", ");
      return true;
    }
    PrintPath(false);
    return false;
  }

  // <const-data> = ["n"] {hex-digit} "_"
  std::string_view HexNibbles() {
    const size_t start = pos_;
    while (pos_ < sym_.size() && ((sym_[pos_] >= '0' && sym_[pos_] <= '9') ||
                                  (sym_[pos_] >= 'a' && sym_[pos_] <= 'f'))) {
      ++pos_;
    }
    if (!Eat('_')) {
      ok_ = false;
      return {};
    }
    return sym_.substr(start, pos_ - 1 - start);
  }

  static bool ParseUint(std::string_view hex, uint64_t* v) {
    while (!hex.empty() && hex.front() == '0') hex.remove_prefix(1);
    if (hex.size() > 16) return false;
    uint64_t x = 0;
    for (char c : hex) x = x * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : 10 + (c - 'a'));
    *v = x;
    return true;
  }

  void PrintConstUint() {
    const std::string_view hex = HexNibbles();
    uint64_t v;
    if (ParseUint(hex, &v)) {
      PrintNumber(v);
    } else {
      Print("0x");
      Print(hex);
    }
  }

  void PrintConst() {
    const char tag = Next();
    if (!ok_ || !PushDepth()) return;
    switch (tag) {
      case 'p':
        Print("_");
        break;
      case 'h': case 't': case 'm': case 'y': case 'o': case 'j':
        PrintConstUint();
        break;
      case 'a': case 's': case 'l': case 'x': case 'n': case 'i':
        if (Eat('n')) Print("-");
        PrintConstUint();
        break;
      case 'b': {
        uint64_t v = 2;
        ParseUint(HexNibbles(), &v);
        if (v > 1) ok_ = false;
        Print(v == 1 ? "true" : "false");
        break;
      }
      case 'c': {
        uint64_t v = 0;
        if (!ParseUint(HexNibbles(), &v) || v > 0x10FFFF) {
          ok_ = false;
          break;
        }
        if (v >= 0x20 && v < 0x7F && v != '\'' && v != '\\') {
          const char c = static_cast<char>(v);
          Print("'");
          Print(std::string_view(&c, 1));
          Print("'");
        } else {
          static constexpr char kHex[] = "0123456789abcdef";
          std::string digits;
          for (uint64_t x = v; x > 0 || digits.empty(); x /= 16) digits.insert(digits.begin(), kHex[x % 16]);
          Print("'\\u{");
          Print(digits);
          Print("}'");
        }
        break;
      }
      case 'B':
        Backref([this] { PrintConst(); });
        break;
      default:
        ok_ = false;  // structured constants (arrays, tuples, ADTs, str): unsupported
    }
    PopDepth();
  }

  std::string_view sym_;
  size_t pos_ = 0;
  int depth_ = 0;
  uint64_t bound_lifetimes_ = 0;
  bool ok_ = true;
  std::string* out_ = nullptr;
};

}  // namespace

std::optional<std::string> DemangleRustV0(std::string_view symbol) {
  std::string_view inner;
  if (symbol.starts_with("_R")) {
    inner = symbol.substr(2);
  } else if (symbol.starts_with("__R")) {  // macOS adds an underscore
    inner = symbol.substr(3);
  } else {
    return std::nullopt;
  }
  if (inner.empty() || inner.size() > kMaxSymbolLength || inner[0] < 'A' || inner[0] > 'Z') {
    return std::nullopt;
  }
  for (char c : inner) {
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  }
  return Printer(inner).Run();
}

}  // namespace kiln
