// Decides whether a piece of screenshot shows a text the way a reference
// rendering does, rather than the way renderings of what goes wrong do.
//
// usage: compare_text SHOT.pgm CORRECT.pgm [LABEL=WRONG.pgm ...]
//   SHOT     the screenshot cut around where the kiosk drew the text
//   CORRECT  the text rendered outside the kiosk (hb-view), as it should look
//   WRONG    the same text rendered as each failure would show it: missing
//            glyphs (tofu boxes, '?'), not shaped (letters apart), in the
//            wrong order (reversed)
// Light text on a dark background; 8-bit binary PGM (P5) files.
//
// Each image becomes "ink" (distance from its most common grey, the
// background), is cut to its ink's bounding box, and is compared with the
// screenshot by normalised cross-correlation at the best shift within a few
// pixels (the two renderers place and hint glyphs a little differently).
// Passes (exit 0) when the correct rendering matches at least kMinScore and
// better than every wrong one by kMargin; a wrong rendering identical to the
// correct one (the failure cannot show in this script) is left out. Prints
// the scores either way; exit 1 on a mismatch, 2 on bad input.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr double kMinScore = 0.6;
constexpr double kMargin = 0.1;
constexpr int kShift = 4;  // pixels searched each way

struct Image {
  int width = 0;
  int height = 0;
  std::vector<double> ink;  // 0 (background) to 1
  double at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= height) return 0.0;
    return ink[static_cast<std::size_t>(y * width + x)];
  }
};

std::optional<Image> read_pgm(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string magic;
  int width = 0;
  int height = 0;
  int maxval = 0;
  if (!(in >> magic >> width >> height >> maxval) || magic != "P5" || maxval != 255 || width <= 0 ||
      height <= 0 || width > 10000 || height > 10000) {
    return std::nullopt;
  }
  in.get();  // the one whitespace after the header
  std::vector<unsigned char> grey(static_cast<std::size_t>(width * height));
  if (!in.read(reinterpret_cast<char*>(grey.data()), static_cast<std::streamsize>(grey.size()))) {
    return std::nullopt;
  }
  std::array<int, 256> histogram{};
  for (const unsigned char g : grey) ++histogram[g];
  const int background =
      static_cast<int>(std::max_element(histogram.begin(), histogram.end()) - histogram.begin());
  Image image{.width = width, .height = height};
  image.ink.reserve(grey.size());
  for (const unsigned char g : grey) {
    image.ink.push_back(std::max(0, g - background) / 255.0);
  }
  return image;
}

// A table's border line across the cut is not part of the text.
void remove_lines(Image& image) {
  for (int y = 0; y < image.height; ++y) {
    int inked = 0;
    for (int x = 0; x < image.width; ++x) inked += image.at(x, y) > 0.05 ? 1 : 0;
    if (inked * 10 >= image.width * 9) {
      for (int x = 0; x < image.width; ++x)
        image.ink[static_cast<std::size_t>(y * image.width + x)] = 0.0;
    }
  }
}

// The smallest rectangle holding all ink above a faint threshold.
Image trimmed(const Image& image) {
  int x0 = image.width, y0 = image.height, x1 = -1, y1 = -1;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (image.at(x, y) > 0.15) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
      }
    }
  }
  if (x1 < 0) return Image{.width = 1, .height = 1, .ink = {0.0}};
  Image out{.width = x1 - x0 + 1, .height = y1 - y0 + 1};
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) out.ink.push_back(image.at(x, y));
  }
  return out;
}

bool same(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height) return false;
  for (std::size_t i = 0; i < a.ink.size(); ++i) {
    if (std::abs(a.ink[i] - b.ink[i]) > 0.02) return false;
  }
  return true;
}

// Pearson correlation of the two on a canvas holding both, `b` shifted by
// (dx, dy) from `a`'s top-left corner; the best over all shifts.
double score(const Image& a, const Image& b) {
  const int width = std::max(a.width, b.width) + 2 * kShift;
  const int height = std::max(a.height, b.height) + 2 * kShift;
  double best = -1.0;
  for (int dy = -kShift; dy <= kShift; ++dy) {
    for (int dx = -kShift; dx <= kShift; ++dx) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
          const double va = a.at(x - kShift, y - kShift);
          const double vb = b.at(x - kShift - dx, y - kShift - dy);
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const double n = static_cast<double>(width) * height;
      const double cov = sab - sa * sb / n;
      const double var = (saa - sa * sa / n) * (sbb - sb * sb / n);
      if (var > 0.0) best = std::max(best, cov / std::sqrt(var));
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compare_text SHOT.pgm CORRECT.pgm [LABEL=WRONG.pgm ...]\n";
    return 2;
  }
  const auto shot = read_pgm(argv[1]);
  const auto correct = read_pgm(argv[2]);
  if (!shot || !correct) {
    std::cerr << "compare_text: cannot read " << (shot ? argv[2] : argv[1])
              << " as an 8-bit binary PGM\n";
    return 2;
  }
  Image shot_lines_removed = *shot;
  remove_lines(shot_lines_removed);
  const Image shot_ink = trimmed(shot_lines_removed);
  const Image correct_ink = trimmed(*correct);
  const double correct_score = score(shot_ink, correct_ink);
  std::ostringstream line;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", correct_score);
  line << "correct=" << buffer;
  double worst_wrong = -1.0;
  std::string worst_label;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string label = eq == std::string::npos ? arg : arg.substr(0, eq);
    const auto wrong = read_pgm(eq == std::string::npos ? arg : arg.substr(eq + 1));
    if (!wrong) {
      std::cerr << "compare_text: cannot read " << arg << " as an 8-bit binary PGM\n";
      return 2;
    }
    const Image wrong_ink = trimmed(*wrong);
    if (same(wrong_ink, correct_ink)) {
      line << " " << label << "=same";
      continue;
    }
    const double s = score(shot_ink, wrong_ink);
    std::snprintf(buffer, sizeof buffer, "%.3f", s);
    line << " " << label << "=" << buffer;
    if (s > worst_wrong) {
      worst_wrong = s;
      worst_label = label;
    }
  }
  const bool pass = correct_score >= kMinScore && correct_score >= worst_wrong + kMargin;
  std::cout << line.str() << (pass ? " ok" : " MISMATCH") << "\n";
  if (!pass) {
    std::cerr << "compare_text: " << argv[1] << " "
              << (correct_score < kMinScore ? "does not look like the reference"
                                            : "looks as much like the " + worst_label +
                                                  " rendering as like the reference")
              << "\n";
  }
  return pass ? 0 : 1;
}
