#include "checker/report/text_wrap.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

using Lines = std::vector<std::string>;

TEST(TextWrap, BreaksAtSpacesWithinTheWidth) {
  EXPECT_EQ(wrapText("the quick brown fox jumps", 10), (Lines{"the quick", "brown fox", "jumps"}));
  EXPECT_EQ(wrapText("the quick brown fox", 0), (Lines{"the quick brown fox"}));
  EXPECT_EQ(wrapText("", 10), (Lines{""}));
}

TEST(TextWrap, TheFirstLineMayBePartlyTaken) {
  EXPECT_EQ(wrapText("aaa bbb ccc", 8, 4), (Lines{"aaa", "bbb ccc"}));
}

TEST(TextWrap, AWordWiderThanALineIsCutBetweenCodePoints) {
  EXPECT_EQ(wrapText("ab ééééé", 3), (Lines{"ab", "ééé", "éé"}));
  EXPECT_EQ(displayWidth("ééé"), 3u);
}

TEST(TextWrap, FitToWidthEndsInAnEllipsis) {
  EXPECT_EQ(fitToWidth("toolchain: gcc", 20), "toolchain: gcc");
  EXPECT_EQ(fitToWidth("toolchain: gcc", 8), "toolcha…");
  EXPECT_EQ(fitToWidth("toolchain: gcc", 0), "toolchain: gcc");
}

TEST(TextWrap, LinearInItsInput) {
  std::string huge(4 << 20, 'x');
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(wrapText(huge, 80).size(), huge.size() / 80 + 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace bbcheck
