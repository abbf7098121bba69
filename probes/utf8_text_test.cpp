#include "probes/utf8_text.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

TEST(Utf8Text, DecodesWhatPythonsStrictDecoderAccepts) {
  char32_t cp = 0;
  EXPECT_EQ(decodeUtf8("\xc3\xa9", 0, cp), 2u);
  EXPECT_EQ(cp, U'\u00e9');
  EXPECT_EQ(decodeUtf8("\xf0\x9f\x90\x8d", 0, cp), 4u);
  EXPECT_EQ(cp, U'\U0001F40D');
  EXPECT_EQ(decodeUtf8("\xc0\xaf", 0, cp), 0u);          // overlong
  EXPECT_EQ(decodeUtf8("\xed\xa0\x80", 0, cp), 0u);      // surrogate
  EXPECT_EQ(decodeUtf8("\xf4\x90\x80\x80", 0, cp), 0u);  // past U+10FFFF
  EXPECT_EQ(decodeUtf8("\xe2\x82", 0, cp), 0u);          // cut off
  EXPECT_EQ(firstInvalidUtf8("ok \xc3\xa9 then \xe9"), 11u);
  EXPECT_EQ(firstInvalidUtf8("all \xe2\x82\xac fine"), std::string::npos);
}

TEST(Utf8Text, CutsFallBetweenCharacters) {
  std::string text = "a\xc3\xa9\xe2\x82\xac";  // a é €: 1 + 2 + 3 bytes
  EXPECT_EQ(cutAtCharacter(text, 100), text);
  EXPECT_EQ(cutAtCharacter(text, 6), text);
  EXPECT_EQ(cutAtCharacter(text, 5), "a\xc3\xa9");
  EXPECT_EQ(cutAtCharacter(text, 4), "a\xc3\xa9");
  EXPECT_EQ(cutAtCharacter(text, 3), "a\xc3\xa9");
  EXPECT_EQ(cutAtCharacter(text, 2), "a");
  EXPECT_EQ(cutAtCharacter(text, 0), "");
}

TEST(Utf8Text, EscapedTextShowsControlsAndInvalidBytes) {
  EXPECT_EQ(escapedText("Jos\xe9 \x1b[31m \xc2\x9b"
                        "1m a\\b"),
            "Jos\\xe9 \\x1b[31m \\u009b1m a\\\\b");
  EXPECT_EQ(escapedText("M\xc3\xbcller"), "M\xc3\xbcller");
}

}  // namespace
}  // namespace bbcheck
