// GLFW window, OpenGL context and ImGui backend lifetimes.
#include "kiosk/platform/window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <string>

#include "common/util/strings.hpp"

namespace alliance::kiosk::platform {
namespace {

// GLFW reports errors through a callback; keep the last one for the message.
std::string& last_glfw_error() {
  static std::string message;
  return message;
}

void on_glfw_error(int code, const char* description) {
  last_glfw_error() = util::cat(description ? description : "unknown error", " (GLFW ", code, ")");
}

}  // namespace

GlfwLibrary::GlfwLibrary() {
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() != GLFW_TRUE) {
    throw PlatformError(util::cat("cannot open the display: ", last_glfw_error(),
                                  "; is DISPLAY set and an X server running?"));
  }
}

GlfwLibrary::~GlfwLibrary() {
  glfwTerminate();
}

void WindowDeleter::operator()(GLFWwindow* window) const noexcept {
  glfwDestroyWindow(window);
}

CreatedWindow create_window(const char* title, bool fullscreen) {
  struct Attempt {
    int major, minor;
    bool core;
    const char* glsl;
  };
  // 3.3 core is what current Mesa and every GPU of the last decade offer;
  // 3.0 keeps very old integrated graphics working.
  constexpr Attempt attempts[] = {{3, 3, true, "#version 330 core"}, {3, 0, false, "#version 130"}};

  GLFWmonitor* monitor = fullscreen ? glfwGetPrimaryMonitor() : nullptr;
  const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
  // A window never larger than the screen (a 1024x600 panel, say).
  GLFWmonitor* primary = glfwGetPrimaryMonitor();
  const GLFWvidmode* screen = mode ? mode : (primary ? glfwGetVideoMode(primary) : nullptr);
  const int width = mode ? mode->width : (screen ? std::min(1280, screen->width) : 1280);
  const int height = mode ? mode->height : (screen ? std::min(800, screen->height) : 800);

  for (const auto& attempt : attempts) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, attempt.major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, attempt.minor);
    if (attempt.core) {
      glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
      glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    }
    if (mode) glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
    WindowPtr window(glfwCreateWindow(width, height, title, mode ? monitor : nullptr, nullptr));
    if (!window) continue;
    glfwMakeContextCurrent(window.get());
    glfwSwapInterval(1);
    return {std::move(window), attempt.glsl};
  }
  throw PlatformError(util::cat("cannot create an OpenGL 3 window: ", last_glfw_error()));
}

void FullscreenSwitch::apply(bool fullscreen) {
  const bool is_fullscreen = glfwGetWindowMonitor(window_) != nullptr;
  if (fullscreen == is_fullscreen) return;
  if (fullscreen) {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return;  // no monitor to fill: stay windowed
    glfwGetWindowPos(window_, &x_, &y_);
    glfwGetWindowSize(window_, &width_, &height_);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else {
    glfwSetWindowMonitor(window_, nullptr, x_, y_, width_, height_, GLFW_DONT_CARE);
  }
}

ImGuiSession::ImGuiSession(GLFWwindow* window, const char* glsl_version) {
  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  if (!ImGui_ImplGlfw_InitForOpenGL(window, false)) {
    ImGui::DestroyContext(context_);
    throw PlatformError("cannot start the ImGui GLFW backend");
  }
  if (!ImGui_ImplOpenGL3_Init(glsl_version)) {
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext(context_);
    throw PlatformError("cannot start the ImGui OpenGL3 renderer");
  }
}

ImGuiSession::~ImGuiSession() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext(context_);
}

}  // namespace alliance::kiosk::platform
