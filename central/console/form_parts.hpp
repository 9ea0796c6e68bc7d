// Pieces the console's form pages share: labelled fields with their error
// next to them in the user's language, validation errors from common/model
// turned into those messages, the newer/older links of a paged list, and the
// events an account may see.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "central/console/page.hpp"
#include "common/model/event.hpp"
#include "common/model/validation.hpp"

namespace alliance::central::console {

// Field name -> the error shown next to it (already HTML-escaped text).
using FieldMessages = std::map<std::string, std::string, std::less<>>;

// The message for a validation key ("event.name.too_long") in the user's
// language: the key's last part (required, too_long, invalid, ...) says what
// is wrong; the label next to it says which field.
std::string field_message(const Context& context, std::string_view key);
// Each error under its field's base name ("stock[2].quantity" -> "stock");
// the first error of a field wins.
FieldMessages field_messages(const Context& context, const model::FieldErrors& errors);

// <label>LABEL<br><input ...>ERROR</label> for a text-like input. `extra` is
// added inside the input tag (e.g. "required maxlength=\"200\"").
std::string text_field(const Context& context, const FieldMessages& errors,
                       std::string_view label_key, std::string_view name, std::string_view value,
                       std::string_view type = "text", std::string_view extra = {});
// A <select> of (value, label key) options with `selected` chosen.
std::string select_field(const Context& context, const FieldMessages& errors,
                         std::string_view label_key, std::string_view name,
                         const std::vector<std::pair<std::string, std::string>>& options,
                         std::string_view selected);
// A check box that posts "1" when ticked.
std::string check_field(const Context& context, std::string_view label_key, std::string_view name,
                        bool checked);
// The error of `name`, if any, as a <span class="field-err">.
std::string error_of(const FieldMessages& errors, std::string_view name);

// Where a paged list is: rows [first, end) of `total`, page `index` of `last`.
struct PageSlice {
  std::size_t index = 0;
  std::size_t last = 0;
  std::size_t first = 0;
  std::size_t end = 0;
};
// The slice of `total` rows the request's ?page=N asks for, `per_page` a page
// (N past the end shows the last page).
PageSlice slice_of(const ApiRequest& request, std::size_t total, std::size_t per_page);
// "Newer" / "Older" links to `path`?page=N (nothing when one page holds all).
std::string pager(const Context& context, std::string_view path, const PageSlice& slice);

// The training events of the account's offices (every office for admins),
// latest first day first.
std::vector<model::TrainingEvent> visible_events(Env& env, const Context& context);

}  // namespace alliance::central::console
