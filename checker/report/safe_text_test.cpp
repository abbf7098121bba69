#include "checker/report/safe_text.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

TEST(SafeText, CleanUtf8IsUnchanged) {
  EXPECT_EQ(safeText("plain ascii"), "plain ascii");
  EXPECT_EQ(safeText("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d"),
            "Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d");
  EXPECT_EQ(safeText("two\nlines\tand a tab"), "two\nlines\tand a tab");
  EXPECT_EQ(safeText(""), "");
}

TEST(SafeText, InvalidBytesBecomeHexEscapes) {
  EXPECT_EQ(safeText("Jos\xe9"), "Jos\\xe9");                       // Latin-1
  EXPECT_EQ(safeText("\xc3"), "\\xc3");                             // cut short at the end
  EXPECT_EQ(safeText("\xc3(x"), "\\xc3(x");                         // bad continuation
  EXPECT_EQ(safeText("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(safeText("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a UTF-16 surrogate
  EXPECT_EQ(safeText("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(safeText("\xff\xfe"), "\\xff\\xfe");
}

TEST(SafeText, ControlCharactersBecomeEscapes) {
  EXPECT_EQ(safeText("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(safeText("a\rb\x07\x7f"), "a\\rb\\x07\\x7f");
  EXPECT_EQ(safeText(std::string("nul\0here", 8)), "nul\\x00here");
  EXPECT_EQ(safeText("\xc2\x9b"
                     "1m"),
            "\\u009b1m");                          // C1 CSI, valid UTF-8
  EXPECT_EQ(safeText("\xef\xbf\xbe"), "\\ufffe");  // not a character, not XML
}

TEST(SafeText, SafeLineEscapesLineBreaksToo) {
  EXPECT_EQ(safeLine("one\ntwo\tthree"), "one\\ntwo\\tthree");
}

TEST(SafeText, ValuesAreCleanedDeeply) {
  Object inner;
  inner["text"] = std::string("bad \xe9");
  inner["n"] = 3;
  Object outer;
  outer["key \x1b"] = Array{std::string("\x1b"), Value(inner)};
  Value clean = safeValue(outer);
  const Object& o = clean.extract<Object>();
  ASSERT_TRUE(o.contains("key \\x1b"));
  const Array& items = o["key \\x1b"].extract<Array>();
  EXPECT_EQ(items[0].extract<std::string>(), "\\x1b");
  const Object& in = items[1].extract<Object>();
  EXPECT_EQ(in["text"].extract<std::string>(), "bad \\xe9");
  EXPECT_EQ(in["n"].convert<int>(), 3);
}

}  // namespace
}  // namespace bbcheck
