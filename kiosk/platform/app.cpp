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
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/util/strings.hpp"
#include "kiosk/platform/fonts.hpp"
#include "kiosk/platform/input.hpp"
#include "kiosk/platform/renderer.hpp"
#include "kiosk/platform/signals.hpp"
#include "kiosk/platform/window.hpp"
#include "kiosk/ui/focus.hpp"
#include "kiosk/ui/layout.hpp"

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
Clock::time_point draw_frame(GLFWwindow* window, FrameRenderer& renderer, const AppState& state,
                             const model::I18n& i18n, std::vector<Intent>& intents) {
  const auto built = renderer.build(state, i18n, intents);
  renderer.render();
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

// The staff list of today's registrations full of names in many scripts, as
// the desk of an international training sees it.
AppState names_screen(const AppState& base) {
  constexpr std::pair<const char*, const char*> kNames[] = {
      {"Nguyễn Thị", "Minh Khai"},
      {"Adébáyọ̀", "Ọlápọ̀"},
      {"Ștefan", "Țurcanu"},
      {"Александра", "Иванова"},
      {"Ελένη", "Παπαδοπούλου"},
      {"محمد", "عبد الله"},
      {"יוסף", "כהן"},
      {"አበበ", "ቢቂላ"},
      {"सुनीता", "शर्मा"},
      {"সুমাইয়া", "রহমান"},
      {"முருகன்", "செல்வம்"},
      {"สมชาย", "ใจดี"},
      {"សុខា", "ចាន់"},
      {"အောင်", "ကျော်"},
      {"王", "秀英"},
      {"陳", "淑芬"},
      {"김", "민준"},
      {"さくら", "山田"},
      {"Fatoumata", "Diallo"},
      {"Grace", "Achieng"},
      {"Amina", "Wanjiru"},
  };
  AppState state = base;
  state.screen = Screen::staff_today;
  state.today = "2026-11-28";
  int n = 0;
  for (const auto& [given, family] : kNames) {
    model::Member m;
    m.id = util::cat("bench-member-", n);
    m.given_name = given;
    m.family_name = family;
    m.reference_code = util::cat("B", 100 + n, "-XYZ");
    m.organisation = "Ministry of Gender";
    state.today_registrations.push_back(m);
    model::Attendance a;
    a.id = util::cat("bench-attendance-", n);
    a.member_id = m.id;
    a.checked_in_at = "2026-11-28T08:15:00Z";
    state.today_attendance.push_back(a);
    ++n;
  }
  return state;
}

// Draws `count` frames back to back and prints percentiles of their times,
// each measured until the GPU finished (llvmpipe renders on other threads).
void run_bench(GLFWwindow* window, FrameRenderer& renderer, Controller& controller,
               const model::I18n& i18n, int count, BenchScreen screen) {
  open_busy_screen(controller);
  const AppState names = names_screen(controller.state());
  const AppState& state = screen == BenchScreen::names ? names : controller.state();
  std::vector<Intent> intents;
  std::vector<double> times;
  std::vector<double> ui_times;
  times.reserve(static_cast<std::size_t>(count));
  ui_times.reserve(static_cast<std::size_t>(count));
  glfwSwapInterval(0);
  for (int i = 0; i < count; ++i) {
    glfwPollEvents();
    const auto start = Clock::now();
    const auto built = draw_frame(window, renderer, state, i18n, intents);
    glFinish();
    times.push_back(ms_between(start, Clock::now()));
    ui_times.push_back(ms_between(start, built));
    intents.clear();  // the bench looks, it does not act
    // Characters the frame lacked are in the atlas from the next frame on.
    renderer.add_needed_glyphs();
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
            << " imgui_p99_ms=" << fixed(percentile(ui_times, 0.99));
  const text::TextStats text = renderer.text().stats();
  std::cerr << " faces_open=" << text.faces_open << " glyph_pages=" << text.glyph_pages
            << " glyphs=" << text.glyphs << "\n";
}

// ALLIANCE_KIOSK_LAYOUT_LOG=FILE: where each screen's primary actions were
// drawn, one line per action, written whenever they move (for the layout
// test, which checks them against the window at several screen sizes).
class LayoutLog {
 public:
  static std::optional<LayoutLog> from_environment() {
    const char* path = std::getenv("ALLIANCE_KIOSK_LAYOUT_LOG");
    if (path == nullptr || *path == '\0') return std::nullopt;
    return LayoutLog(path);
  }

  void write(const ui::FrameLayout& layout) {
    std::ostringstream lines;
    const std::string head = util::cat("screen=", ui::screen_name(layout.screen),
                                       " display=", static_cast<int>(layout.display.x), "x",
                                       static_cast<int>(layout.display.y));
    // Each frame's record ends with a line of its own, so a reader takes whole records.
    for (const ui::ActionRect& a : layout.actions) {
      lines << head << " action=" << a.id << " rect=" << static_cast<int>(a.min.x) << ","
            << static_cast<int>(a.min.y) << "," << static_cast<int>(a.max.x) << ","
            << static_cast<int>(a.max.y) << " visible=" << (a.visible ? "yes" : "no") << "\n";
    }
    lines << head << " end\n";
    if (lines.str() == last_) return;
    last_ = lines.str();
    out_ << last_ << std::flush;
  }

 private:
  explicit LayoutLog(const char* path) : out_(path, std::ios::app) {}
  std::ofstream out_;
  std::string last_;
};

}  // namespace

int run_gui(Controller& controller, const model::I18n& i18n, const GuiOptions& options) {
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
    ui::focus::take_tab_key();  // the kiosk's own focus order (kiosk/ui/focus.hpp)
    auto layout_log = LayoutLog::from_environment();
    FrameRenderer renderer(window.get(), fonts, options.font_path);

    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk remembers nothing between runs
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would mean a frame every 0.4 s

    renderer.apply_look(controller.state().settings);
    FullscreenSwitch fullscreen_switch(window.get());

    if (options.bench_frames > 0) {
      run_bench(window.get(), renderer, controller, i18n, options.bench_frames,
                options.bench_screen);
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
      renderer.apply_look(state.settings);
      if (state.version != drawn_version) frames_owed = kSettleFrames;
      if (frames_owed == 0 && events.keys.empty()) continue;

      // Typed text waits while focus moves to the field it is meant for.
      events.keys.feed_one_frame(window.get(), ui::focus::settling());
      drawn_version = state.version;
      draw_frame(window.get(), renderer, state, i18n, intents);
      if (layout_log) layout_log->write(ui::last_layout());
      frames_owed = std::max(0, frames_owed - 1);
      // Characters typed that ImGui's font lacked: added now, shown next frame.
      if (renderer.add_needed_glyphs()) frames_owed = kSettleFrames;
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
