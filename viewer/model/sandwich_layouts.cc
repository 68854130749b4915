#include "kiln/viewer/sandwich_layouts.h"

#include "kiln/query/sandwich.h"

namespace kiln::viewer {

SandwichLayouts BuildSandwichLayouts(const Tree& tree, std::string_view function) {
  const SandwichView view = BuildSandwich(tree, function);
  SandwichLayouts out;
  out.callers = DepthLayout::Build(view.callers);
  out.callees = DepthLayout::Build(view.callees);
  out.function_total = view.callers.total();
  return out;
}

}  // namespace kiln::viewer
