// Finds, in the X display's current keyboard map, the keys that type given
// keysyms in one layout group, so a test can press those physical keys
// (xdotool key KEYCODE) and the text goes through the layout as a person's
// typing does, rather than through keysyms xdotool maps for itself.
//
// usage: xkb_keycodes GROUP KEYSYM...   (GROUP 1-4; KEYSYM an X name such
//        as Arabic_meem or U12A0)
// Prints one xdotool key argument per keysym ("38" or "shift+38") and exits
// 0; exits 1 naming a keysym no key of that group types; 2 on bad usage.
#include <X11/XKBlib.h>
#include <X11/Xlib.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace {

struct DisplayCloser {
  void operator()(Display* display) const { XCloseDisplay(display); }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: xkb_keycodes GROUP KEYSYM...\n";
    return 2;
  }
  const int group = std::atoi(argv[1]);
  if (group < 1 || group > 4) {
    std::cerr << "xkb_keycodes: GROUP must be 1 to 4\n";
    return 2;
  }
  std::unique_ptr<Display, DisplayCloser> display(XOpenDisplay(nullptr));
  if (!display) {
    std::cerr << "xkb_keycodes: cannot open the X display (is DISPLAY set?)\n";
    return 1;
  }
  int min_keycode = 0;
  int max_keycode = 0;
  XDisplayKeycodes(display.get(), &min_keycode, &max_keycode);
  for (int i = 2; i < argc; ++i) {
    const KeySym wanted = XStringToKeysym(argv[i]);
    if (wanted == NoSymbol) {
      std::cerr << "xkb_keycodes: no keysym is named " << argv[i] << "\n";
      return 1;
    }
    std::string found;
    for (int keycode = min_keycode; keycode <= max_keycode && found.empty(); ++keycode) {
      for (int level = 0; level < 2 && found.empty(); ++level) {
        const KeySym sym =
            XkbKeycodeToKeysym(display.get(), static_cast<KeyCode>(keycode), group - 1, level);
        if (sym == wanted) found = (level == 1 ? "shift+" : "") + std::to_string(keycode);
      }
    }
    if (found.empty()) {
      std::cerr << "xkb_keycodes: no key of group " << group << " types " << argv[i] << "\n";
      return 1;
    }
    std::cout << found << (i + 1 < argc ? " " : "\n");
  }
  return 0;
}
