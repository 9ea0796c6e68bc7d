// The kiosk's window: GLFW + OpenGL3, fonts, and a frame loop that draws only
// when something changed, so an idle kiosk costs next to no battery.
#pragma once

#include <chrono>
#include <filesystem>

#include "common/model/i18n.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/text/text_engine.hpp"

namespace alliance::kiosk::platform {

inline constexpr const char* kDefaultFontPath = text::kDefaultPrimaryFont;
inline constexpr const char* kWindowTitle = "Alliance Field Kit";

// What --bench-frames draws: the registration form being filled in, or the
// staff list of today's registrations with names in many scripts.
enum class BenchScreen { form, names };

struct GuiOptions {
  // Start fullscreen on the primary monitor (the saved setting can also ask for it).
  bool fullscreen = false;
  std::filesystem::path font_path = kDefaultFontPath;
  // Measurement hooks for tests/bench (hidden command-line flags):
  // print "first_frame_ms=N" to stderr after the first frame is on screen, and exit;
  bool exit_after_first_frame = false;
  // or draw this many frames back to back on a busy screen, print the frame
  // times' percentiles to stderr, and exit.
  int bench_frames = 0;
  BenchScreen bench_screen = BenchScreen::form;
  // When the process started, for first_frame_ms.
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
};

// Opens the window and runs until the controller asks to quit (staff mode) or
// SIGTERM/SIGINT arrives; closing the window alone does not quit a kiosk.
// Returns the process exit code: 0 after a clean quit, 1 when the window or
// the font cannot be set up (after printing one line on stderr why).
// Must be called from the main thread; blocks SIGTERM and SIGINT while it runs.
int run_gui(Controller& controller, const model::I18n& i18n, const GuiOptions& options);

}  // namespace alliance::kiosk::platform
