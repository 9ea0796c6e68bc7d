// Real ImGui frames without a window: a context, a built font atlas, the
// text engine with the real fonts (glyph pages kept in memory only), and
// simulated keyboard and mouse input (the ImGui 1.86 input API).
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "common/model/i18n.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/text/text_engine.hpp"
#include "kiosk/ui/focus.hpp"
#include "kiosk/ui/text.hpp"
#include "kiosk/ui/ui.hpp"

namespace alliance::test {

class ImGuiHarness {
 public:
  // Our own key indices; the GLFW backend maps GLFW key codes instead.
  enum Key { tab = 1, left, right, up, down, enter, escape, space, backspace, keypad_enter };

  ImGuiHarness() {
    IMGUI_CHECKVERSION();
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(1280.0f, 800.0f);
    io.DeltaTime = 1.0f / 60.0f;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.KeyMap[ImGuiKey_Tab] = tab;
    io.KeyMap[ImGuiKey_LeftArrow] = left;
    io.KeyMap[ImGuiKey_RightArrow] = right;
    io.KeyMap[ImGuiKey_UpArrow] = up;
    io.KeyMap[ImGuiKey_DownArrow] = down;
    io.KeyMap[ImGuiKey_Enter] = enter;
    io.KeyMap[ImGuiKey_Escape] = escape;
    io.KeyMap[ImGuiKey_Space] = space;
    io.KeyMap[ImGuiKey_Backspace] = backspace;
    io.KeyMap[ImGuiKey_KeyPadEnter] = keypad_enter;
    kiosk::ui::focus::take_tab_key();  // as the platform does
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    kiosk::ui::apply_style(false, 1.0f);
    engine_ =
        std::make_unique<kiosk::text::TextEngine>(kiosk::text::default_font_config(), textures_);
    kiosk::ui::set_text_engine(engine_.get());
  }
  ~ImGuiHarness() {
    kiosk::ui::set_text_engine(nullptr);
    ImGui::DestroyContext(context_);
  }
  ImGuiHarness(const ImGuiHarness&) = delete;
  ImGuiHarness& operator=(const ImGuiHarness&) = delete;

  // One frame of a fixed state; returns what the person asked for.
  std::vector<kiosk::Intent> frame(const kiosk::AppState& state, const model::I18n& i18n) {
    std::vector<kiosk::Intent> intents;
    ImGui::NewFrame();
    kiosk::ui::draw(state, i18n, intents);
    ImGui::Render();
    release_keys();
    return intents;
  }

  // One frame against a controller, then the intents dispatched to it, as
  // the platform loop does.
  void frame(kiosk::Controller& controller, const model::I18n& i18n) {
    for (const auto& intent : frame(controller.state(), i18n)) controller.dispatch(intent);
  }

  void frames(const kiosk::AppState& state, const model::I18n& i18n, int count) {
    for (int i = 0; i < count; ++i) frame(state, i18n);
  }

  void frames(kiosk::Controller& controller, const model::I18n& i18n, int count) {
    for (int i = 0; i < count; ++i) frame(controller, i18n);
  }

  // The key is down for the next frame, then released.
  void press(Key key, bool shift = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    io.KeyShift = shift;
    pressed_.push_back(key);
  }
  void type(const std::string& utf8) { ImGui::GetIO().AddInputCharactersUTF8(utf8.c_str()); }
  void display(float width, float height) { ImGui::GetIO().DisplaySize = ImVec2(width, height); }
  void mouse(float x, float y, bool button_down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = button_down;
  }

 private:
  // Keys pressed for one frame go up before the next, so each press counts once.
  void release_keys() {
    ImGuiIO& io = ImGui::GetIO();
    for (const Key key : pressed_) io.KeysDown[key] = false;
    io.KeyShift = false;
    pressed_.clear();
  }

  ImGuiContext* context_ = nullptr;
  kiosk::text::NullTextures textures_;
  std::unique_ptr<kiosk::text::TextEngine> engine_;
  std::vector<Key> pressed_;
};

}  // namespace alliance::test
