// The frame loop: sleep until something happens, tick the controller, draw
// only when the state changed or a person did something, then act on what
// the frame asked for.
#include "kiosk/platform/app.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <vector>

#include "kiosk/platform/fonts.hpp"
#include "kiosk/platform/input.hpp"
#include "kiosk/platform/signals.hpp"
#include "kiosk/platform/window.hpp"
#include "kiosk/ui/ui.hpp"

namespace alliance::kiosk::platform {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// After any change ImGui may need a frame or two more to settle (focus moved
// by SetKeyboardFocusHere, popups opening, the nav highlight following).
constexpr int kSettleFrames = 3;
// Even with nothing to do, wake this often (the controller asks for less).
constexpr std::chrono::milliseconds kMaxSleep = 1000ms;

// What the GLFW callbacks saw since the loop last looked.
struct WindowEvents {
  InputQueue keys;
  bool input = false;   // a key, click, touch, scroll or pointer move
  bool redraw = false;  // exposed, resized or focus changed: paint again
};

WindowEvents& events_of(GLFWwindow* window) {
  return *static_cast<WindowEvents*>(glfwGetWindowUserPointer(window));
}

// The ImGui backend was started without callbacks; these record what
// happened and forward it (keys through the per-frame queue).
void install_callbacks(GLFWwindow* window, WindowEvents& events) {
  glfwSetWindowUserPointer(window, &events);
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int scancode, int action, int mods) {
    auto& e = events_of(w);
    e.input = true;
    // ImGui 1.86 repeats held keys itself; GLFW's repeats only wake the loop.
    if (action == GLFW_PRESS || action == GLFW_RELEASE) {
      e.keys.push({.key = key, .scancode = scancode, .action = action, .mods = mods});
    }
  });
  glfwSetCharCallback(window, [](GLFWwindow* w, unsigned codepoint) {
    auto& e = events_of(w);
    e.input = true;
    e.keys.push({.is_text = true, .codepoint = codepoint});
  });
  glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int button, int action, int mods) {
    events_of(w).input = true;
    ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
  });
  glfwSetScrollCallback(window, [](GLFWwindow* w, double x, double y) {
    events_of(w).input = true;
    ImGui_ImplGlfw_ScrollCallback(w, x, y);
  });
  glfwSetCursorPosCallback(window,
                           [](GLFWwindow* w, double, double) { events_of(w).input = true; });
  glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int entered) {
    events_of(w).redraw = true;
    ImGui_ImplGlfw_CursorEnterCallback(w, entered);
  });
  glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int focused) {
    events_of(w).redraw = true;
    ImGui_ImplGlfw_WindowFocusCallback(w, focused);
  });
  glfwSetFramebufferSizeCallback(window,
                                 [](GLFWwindow* w, int, int) { events_of(w).redraw = true; });
  glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { events_of(w).redraw = true; });
}

// Returns when ImGui had built the frame (before OpenGL drew it), for the bench.
Clock::time_point draw_frame(GLFWwindow* window, const Controller& controller, const I18n& i18n,
                             std::vector<Intent>& intents) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ui::draw(controller.state(), i18n, intents);
  ImGui::Render();
  const auto built = Clock::now();

  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  glViewport(0, 0, width, height);
  const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(background.x, background.y, background.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glfwSwapBuffers(window);
  return built;
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

std::string fixed(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << value;
  return out.str();
}

// Fills in the registration form so the bench draws a screen with every
// kind of widget on it, the way a person sees it mid-form.
void open_busy_screen(Controller& controller) {
  controller.dispatch(intent::StartRegistration{});
  const std::pair<const char*, const char*> fields[] = {
      {"given_name", "Amélie"},   {"family_name", "Nguyễn-Okonkwo"},
      {"phone", "+254712345678"}, {"email", "amelie@example.org"},
      {"birth_year", "1987"},     {"country", "KE"},
      {"region", "Kisumu"},       {"organisation", "Ministry of Gender"},
  };
  for (const auto& [field, value] : fields) {
    controller.dispatch(intent::EditField{field, value});
  }
}

// Draws `count` frames back to back and prints percentiles of their times,
// each measured until the GPU finished (llvmpipe renders on other threads).
void run_bench(GLFWwindow* window, Controller& controller, const I18n& i18n, int count) {
  open_busy_screen(controller);
  std::vector<Intent> intents;
  std::vector<double> times;
  std::vector<double> ui_times;
  times.reserve(static_cast<std::size_t>(count));
  ui_times.reserve(static_cast<std::size_t>(count));
  glfwSwapInterval(0);
  for (int i = 0; i < count; ++i) {
    glfwPollEvents();
    const auto start = Clock::now();
    const auto built = draw_frame(window, controller, i18n, intents);
    glFinish();
    times.push_back(ms_between(start, Clock::now()));
    ui_times.push_back(ms_between(start, built));
    intents.clear();  // the bench looks, it does not act
  }
  auto percentile = [](std::vector<double>& values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
  };
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  std::cerr << "bench_frames=" << count << " size=" << width << "x" << height
            << " p50_ms=" << fixed(percentile(times, 0.50))
            << " p99_ms=" << fixed(percentile(times, 0.99)) << " max_ms=" << fixed(times.back())
            << " imgui_p50_ms=" << fixed(percentile(ui_times, 0.50))
            << " imgui_p99_ms=" << fixed(percentile(ui_times, 0.99)) << "\n";
}

struct AppliedLook {
  bool high_contrast = false;
  float ui_scale = 0.0f;
};

// Colours and sizes from the UI, fonts rasterised at the scaled size here
// (sharper than ImGui's FontGlobalScale, which the style must then not use).
void apply_look(const Settings& settings, FontSet& fonts, AppliedLook& applied,
                bool renderer_ready) {
  if (applied.high_contrast == settings.high_contrast && applied.ui_scale == settings.ui_scale) {
    return;
  }
  ui::apply_style(settings.high_contrast, settings.ui_scale);
  ImGui::GetIO().FontGlobalScale = 1.0f;
  if (applied.ui_scale != settings.ui_scale) fonts.build(settings.ui_scale, renderer_ready);
  applied = {settings.high_contrast, settings.ui_scale};
}

}  // namespace

int run_gui(Controller& controller, const I18n& i18n, const GuiOptions& options) {
  try {
    // The font first: a kiosk without its font should say so before any window opens.
    FontSet fonts(options.font_path);
    StopSignals signals;  // before any thread exists (Mesa starts several)
    GlfwLibrary glfw;
    signals.set_wake([] { glfwPostEmptyEvent(); });
    struct WakeOff {
      StopSignals& signals;
      ~WakeOff() { signals.set_wake({}); }
    } wake_off{signals};

    const bool fullscreen = options.fullscreen || controller.state().settings.fullscreen;
    auto [window, glsl_version] = create_window(kWindowTitle, fullscreen);
    WindowEvents events;
    install_callbacks(window.get(), events);
    ImGuiSession imgui(window.get(), glsl_version);

    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk remembers nothing between runs
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would mean a frame every 0.4 s

    AppliedLook look;
    apply_look(controller.state().settings, fonts, look, false);
    FullscreenSwitch fullscreen_switch(window.get());

    if (options.bench_frames > 0) {
      run_bench(window.get(), controller, i18n, options.bench_frames);
      return 0;
    }

    std::vector<Intent> intents;
    std::uint64_t drawn_version = controller.state().version - 1;  // draw at once
    int frames_owed = kSettleFrames;
    bool first_frame = true;
    while (!signals.stop_requested() && !controller.state().quit_requested) {
      if (controller.state().version != drawn_version) frames_owed = kSettleFrames;
      const auto sleep = std::clamp(controller.next_tick_in(), 0ms, kMaxSleep);
      if (frames_owed > 0 || !events.keys.empty() || sleep == 0ms) {
        glfwPollEvents();
      } else {
        glfwWaitEventsTimeout(std::chrono::duration<double>(sleep).count());
      }
      if (events.input) controller.note_input();
      if (events.input || events.redraw) frames_owed = kSettleFrames;
      events.input = events.redraw = false;

      controller.tick();
      // The close button does not end a kiosk; staff mode does (quit_requested).
      if (glfwWindowShouldClose(window.get())) glfwSetWindowShouldClose(window.get(), GLFW_FALSE);

      const AppState& state = controller.state();
      if (state.quit_requested) break;
      if (state.fullscreen_changed) {
        fullscreen_switch.apply(state.settings.fullscreen);
        controller.acknowledge_fullscreen_change();
      }
      apply_look(state.settings, fonts, look, true);
      if (state.version != drawn_version) frames_owed = kSettleFrames;
      if (frames_owed == 0 && events.keys.empty()) continue;

      events.keys.feed_one_frame(window.get());
      drawn_version = state.version;
      draw_frame(window.get(), controller, i18n, intents);
      frames_owed = std::max(0, frames_owed - 1);
      if (first_frame) {
        first_frame = false;
        if (options.exit_after_first_frame) {
          glFinish();
          std::cerr << "first_frame_ms=" << fixed(ms_between(options.started_at, Clock::now()))
                    << "\n";
          break;
        }
      }
      // Acted on after the frame, never during it.
      for (const auto& intent : intents) controller.dispatch(intent);
      intents.clear();
    }
    return 0;
  } catch (const PlatformError& e) {
    std::cerr << "alliance-kiosk: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace alliance::kiosk::platform
