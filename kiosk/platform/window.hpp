// RAII owners for the GLFW library, its window and the ImGui context with its
// GLFW and OpenGL3 backends. Constructors throw PlatformError with a message a
// person can act on; destructors never throw.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

struct GLFWwindow;
struct GLFWmonitor;
struct ImGuiContext;

namespace alliance::kiosk::platform {

class PlatformError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// glfwInit / glfwTerminate. One per process, on the main thread.
class GlfwLibrary {
 public:
  GlfwLibrary();
  ~GlfwLibrary();
  GlfwLibrary(const GlfwLibrary&) = delete;
  GlfwLibrary& operator=(const GlfwLibrary&) = delete;
};

struct WindowDeleter {
  void operator()(GLFWwindow* window) const noexcept;
};
using WindowPtr = std::unique_ptr<GLFWwindow, WindowDeleter>;

struct CreatedWindow {
  WindowPtr window;
  const char* glsl_version = nullptr;  // for ImGui_ImplOpenGL3_Init
};

// A window with a current OpenGL 3.3 core context (3.0 as a fallback),
// fullscreen on the primary monitor when asked.
CreatedWindow create_window(const char* title, bool fullscreen);

// Moves the window onto the primary monitor, or back to a window of its
// last windowed size and place.
class FullscreenSwitch {
 public:
  explicit FullscreenSwitch(GLFWwindow* window) : window_(window) {}
  void apply(bool fullscreen);

 private:
  GLFWwindow* window_;
  int x_ = 0, y_ = 0, width_ = 1280, height_ = 800;
};

// ImGui context plus backends, shut down in reverse order. The GLFW backend
// installs no callbacks of its own: the frame loop owns them and forwards.
class ImGuiSession {
 public:
  ImGuiSession(GLFWwindow* window, const char* glsl_version);
  ~ImGuiSession();
  ImGuiSession(const ImGuiSession&) = delete;
  ImGuiSession& operator=(const ImGuiSession&) = delete;

 private:
  ImGuiContext* context_ = nullptr;
};

}  // namespace alliance::kiosk::platform
