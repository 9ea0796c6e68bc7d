// Shaped text as ImGui items: layouts from the engine, glyph quads into the
// window's draw list, one texture switch per glyph page.
#include "kiosk/ui/text.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace alliance::kiosk::ui {
namespace {

text::TextEngine* g_engine = nullptr;
text::Direction g_direction = text::Direction::ltr;
std::set<char32_t> g_needed;
std::vector<DrawnText>* g_probe = nullptr;

// A laid-out text with ImGui's line boxes: a line is the font size tall,
// taller only where ink reaches beyond the primary face's ascender or
// descender (stacked marks, Myanmar, Tibetan).
struct Block {
  text::TextLayout layout;
  std::vector<float> baselines;  // from the block's top
  ImVec2 size;
};

Block lay_out(std::string_view utf8, float wrap_width) {
  const float size = ImGui::GetFontSize();
  const ImFont* font = ImGui::GetFont();
  const float ascent = font->Ascent * (size / font->FontSize);
  const float primary_ascent = g_engine->primary_ascent(size);
  const float primary_descent = g_engine->primary_descent(size);
  Block block;
  block.layout = g_engine->layout(utf8, size, wrap_width, g_direction);
  float y = 0.0f;
  for (const text::Line& line : block.layout.lines) {
    const float above = std::max(0.0f, std::ceil(line.ascent - primary_ascent));
    const float below = std::max(0.0f, std::ceil(line.descent - primary_descent));
    block.baselines.push_back(y + ascent + above);
    y += size + above + below;
  }
  block.size = ImVec2(std::ceil(block.layout.width), y);
  return block;
}

// The lines of `block` with the box's top-left at `pos`, each line at the
// start edge of a box `box_width` wide (right-aligned right to left) or
// centred in it.
void emit(ImDrawList* draw_list, const Block& block, ImVec2 pos, float box_width, ImU32 colour,
          float align) {
  const float size = ImGui::GetFontSize();
  text::TextureHandle current = 0;
  for (std::size_t i = 0; i < block.layout.lines.size(); ++i) {
    const text::Line& line = block.layout.lines[i];
    const float slack = box_width - line.width;
    const float shift =
        g_direction == text::Direction::rtl ? slack * (1.0f - align) : slack * align;
    const float x = pos.x + std::max(0.0f, shift);
    const float baseline = std::round(pos.y + block.baselines[i]);
    for (const text::PlacedGlyph& glyph : line.glyphs) {
      const float pen_x = x + glyph.x;
      const text::GlyphImage* image = g_engine->glyph(glyph, size, pen_x);
      if (image == nullptr) continue;
      if (image->page != current) {
        if (current != 0) draw_list->PopTextureID();
        draw_list->PushTextureID(reinterpret_cast<ImTextureID>(image->page));
        current = image->page;
      }
      const ImVec2 a(std::floor(pen_x) + static_cast<float>(image->left),
                     baseline + std::round(glyph.y) - static_cast<float>(image->top));
      const ImVec2 b(a.x + static_cast<float>(image->width),
                     a.y + static_cast<float>(image->height));
      draw_list->PrimReserve(6, 4);
      draw_list->PrimRectUV(a, b, ImVec2(image->u0, image->v0), ImVec2(image->u1, image->v1),
                            colour);
    }
  }
  if (current != 0) draw_list->PopTextureID();
}

void probe(std::string_view utf8, ImVec2 min, ImVec2 max) {
  if (g_probe != nullptr) g_probe->push_back({std::string(utf8), min, max});
}

float line_start_x(const ImGuiWindow* window) {
  return IM_FLOOR(window->Pos.x + window->DC.Indent.x + window->DC.ColumnsOffset.x);
}

ImU32 colour_of(const TextStyle& style) {
  return style.colour ? ImGui::GetColorU32(*style.colour) : ImGui::GetColorU32(ImGuiCol_Text);
}

}  // namespace

void set_text_engine(text::TextEngine* engine) {
  g_engine = engine;
}

text::TextEngine* text_engine() {
  return g_engine;
}

void set_layout_direction(text::Direction direction) {
  g_direction = direction;
}

bool right_to_left() {
  return g_direction == text::Direction::rtl;
}

void set_text_probe(std::vector<DrawnText>* probe_sink) {
  g_probe = probe_sink;
}

PlacedItem::PlacedItem(float width) {
  if (g_direction != text::Direction::rtl) return;
  window_ = ImGui::GetCurrentWindow();
  const float start = line_start_x(window_);
  const float end = ImGui::GetContentRegionMaxAbs().x;
  const float ltr_x = window_->DC.CursorPos.x;
  const float x = std::max(start, IM_FLOOR(start + end - ltr_x - width));
  shift_ = x - ltr_x;
  window_->DC.CursorPos.x = x;
}

PlacedItem::~PlacedItem() {
  // ImGui noted where the item ended for the next SameLine: where it would
  // have ended left to right.
  if (window_ != nullptr) window_->DC.CursorPosPrevLine.x -= shift_;
}

ImVec2 text_size(std::string_view utf8, float wrap) {
  if (g_engine == nullptr) {
    return ImGui::CalcTextSize(utf8.data(), utf8.data() + utf8.size(), false,
                               wrap > 0.0f ? wrap : -1.0f);
  }
  return lay_out(utf8, wrap).size;
}

void text(std::string_view utf8, const TextStyle& style) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return;
  const bool wrap = style.wrap || window->DC.TextWrapPos >= 0.0f;
  if (g_engine == nullptr) {
    if (style.colour) ImGui::PushStyleColor(ImGuiCol_Text, *style.colour);
    if (style.wrap) ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(utf8.data(), utf8.data() + utf8.size());
    if (style.wrap) ImGui::PopTextWrapPos();
    if (style.colour) ImGui::PopStyleColor();
    return;
  }
  if (style.wrap) ImGui::PushTextWrapPos(0.0f);
  const float wrap_width =
      wrap
          ? std::max(1.0f, ImGui::CalcWrapWidthForPos(window->DC.CursorPos, window->DC.TextWrapPos))
          : 0.0f;
  if (style.wrap) ImGui::PopTextWrapPos();
  const Block block = lay_out(utf8, wrap_width);
  PlacedItem placed(block.size.x);
  const ImVec2 pos(window->DC.CursorPos.x,
                   window->DC.CursorPos.y + window->DC.CurrLineTextBaseOffset);
  const ImRect bb(pos, ImVec2(pos.x + block.size.x, pos.y + block.size.y));
  ImGui::ItemSize(block.size, 0.0f);
  if (!ImGui::ItemAdd(bb, 0)) return;
  emit(window->DrawList, block, pos, block.size.x, colour_of(style), 0.0f);
  probe(utf8, bb.Min, bb.Max);
}

void bullet_text(std::string_view utf8) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return;
  if (g_engine == nullptr) {
    ImGui::Bullet();
    ImGui::SameLine();
    ImGui::TextUnformatted(utf8.data(), utf8.data() + utf8.size());
    return;
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  const float bullet = ImGui::GetFontSize() + style.FramePadding.x * 2.0f;
  const Block block = lay_out(utf8, 0.0f);
  const ImVec2 size(bullet + block.size.x, std::max(block.size.y, ImGui::GetFontSize()));
  PlacedItem placed(size.x);
  const ImVec2 pos = window->DC.CursorPos;
  const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
  ImGui::ItemSize(size, 0.0f);
  if (!ImGui::ItemAdd(bb, 0)) return;
  const bool rtl = right_to_left();
  const float bullet_x =
      rtl ? bb.Max.x - bullet * 0.5f : pos.x + style.FramePadding.x + ImGui::GetFontSize() * 0.5f;
  const ImU32 colour = ImGui::GetColorU32(ImGuiCol_Text);
  ImGui::RenderBullet(window->DrawList, ImVec2(bullet_x, pos.y + ImGui::GetFontSize() * 0.5f),
                      colour);
  const ImVec2 text_pos(rtl ? pos.x : pos.x + bullet, pos.y);
  emit(window->DrawList, block, text_pos, block.size.x, colour, 0.0f);
  probe(utf8, text_pos, ImVec2(text_pos.x + block.size.x, text_pos.y + block.size.y));
}

void draw_text_in(ImDrawList* draw_list, const ImVec2& min, const ImVec2& max,
                  std::string_view utf8, ImU32 colour, float align) {
  if (utf8.empty()) return;
  if (g_engine == nullptr) {
    const ImVec2 size = ImGui::CalcTextSize(utf8.data(), utf8.data() + utf8.size());
    const float slack = std::max(0.0f, max.x - min.x - size.x);
    const float x = min.x + (right_to_left() ? slack * (1.0f - align) : slack * align);
    const ImVec2 pos(x, min.y + std::max(0.0f, (max.y - min.y - size.y) * 0.5f));
    const ImVec4 clip(min.x, min.y, max.x, max.y);
    draw_list->AddText(nullptr, 0.0f, pos, colour, utf8.data(), utf8.data() + utf8.size(), 0.0f,
                       &clip);
    probe(utf8, pos, ImVec2(pos.x + size.x, pos.y + size.y));
    return;
  }
  const Block block = lay_out(utf8, 0.0f);
  const float box_width = max.x - min.x;
  const ImVec2 pos(min.x, std::round(min.y + (max.y - min.y - block.size.y) * 0.5f));
  draw_list->PushClipRect(min, max, true);
  emit(draw_list, block, pos, box_width, colour, align);
  draw_list->PopClipRect();
  const float slack = std::max(0.0f, box_width - block.size.x);
  const float x = min.x + (right_to_left() ? slack * (1.0f - align) : slack * align);
  probe(utf8, ImVec2(x, pos.y), ImVec2(x + block.size.x, pos.y + block.size.y));
}

void need_glyphs(std::string_view utf8) {
  const ImFont* font = ImGui::GetFont();
  const char* p = utf8.data();
  const char* end = p + utf8.size();
  while (p < end) {
    unsigned int cp = 0;
    const int bytes = ImTextCharFromUtf8(&cp, p, end);
    if (bytes <= 0) break;
    p += bytes;
    if (cp < 0x80 || cp > 0xFFFF || cp == IM_UNICODE_CODEPOINT_INVALID) continue;
    if (font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) == nullptr) g_needed.insert(cp);
  }
}

std::vector<char32_t> take_needed_glyphs() {
  std::vector<char32_t> out(g_needed.begin(), g_needed.end());
  g_needed.clear();
  return out;
}

}  // namespace alliance::kiosk::ui
