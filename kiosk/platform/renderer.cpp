// One frame: ImGui builds it from the state, the text engine's new glyphs go
// to their textures, OpenGL draws it.
#include "kiosk/platform/renderer.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "kiosk/platform/window.hpp"
#include "kiosk/ui/text.hpp"
#include "kiosk/ui/ui.hpp"

namespace alliance::kiosk::platform {
namespace {

text::TextEngine make_engine(const std::filesystem::path& font_path,
                             text::GlyphTextures& textures) {
  try {
    return text::TextEngine(text::default_font_config(font_path), textures);
  } catch (const text::TextError& e) {
    throw PlatformError(e.what());
  }
}

}  // namespace

FrameRenderer::FrameRenderer(GLFWwindow* window, FontSet& fonts,
                             const std::filesystem::path& font_path)
    : window_(window), fonts_(fonts), engine_(make_engine(font_path, textures_)) {
  ui::set_text_engine(&engine_);
}

FrameRenderer::~FrameRenderer() {
  ui::set_text_engine(nullptr);
}

void FrameRenderer::apply_look(const Settings& settings) {
  if (ui_scale_ == settings.ui_scale && high_contrast_ == settings.high_contrast) return;
  ui::apply_style(settings.high_contrast, settings.ui_scale);
  ImGui::GetIO().FontGlobalScale = 1.0f;
  if (ui_scale_ != settings.ui_scale) fonts_.build(settings.ui_scale, drawn_, engine_);
  ui_scale_ = settings.ui_scale;
  high_contrast_ = settings.high_contrast;
}

FrameRenderer::Clock::time_point FrameRenderer::build(const AppState& state,
                                                      const model::I18n& i18n,
                                                      std::vector<Intent>& intents) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ui::draw(state, i18n, intents);
  ImGui::Render();
  const auto built = Clock::now();
  engine_.upload();
  drawn_ = true;
  return built;
}

void FrameRenderer::render() {
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  glViewport(0, 0, width, height);
  const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(background.x, background.y, background.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

bool FrameRenderer::add_needed_glyphs() {
  const auto needed = ui::take_needed_glyphs();
  return !needed.empty() && fonts_.add(needed, engine_);
}

std::vector<std::uint8_t> FrameRenderer::read_pixels(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                                3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  // OpenGL's first row is the bottom one.
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  for (std::size_t top = 0, bottom = static_cast<std::size_t>(height) - 1; top < bottom;
       ++top, --bottom) {
    std::swap_ranges(rgb.begin() + static_cast<std::ptrdiff_t>(top * row),
                     rgb.begin() + static_cast<std::ptrdiff_t>((top + 1) * row),
                     rgb.begin() + static_cast<std::ptrdiff_t>(bottom * row));
  }
  return rgb;
}

}  // namespace alliance::kiosk::platform
