#include "checker/profile/waiver_reader.h"

#include <gtest/gtest.h>

#include "checker/profile/profile_error.h"

namespace bbcheck {
namespace {

std::string errorOf(const std::string& text) {
  try {
    parseWaivers(text, "w.yaml");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

TEST(WaiverReader, ReadsIdWhyAndUntil) {
  std::vector<Waiver> w = parseWaivers(
      "waivers:\n"
      "  - id: net.nntp\n"
      "    why: our ISP blocks port 119\n"
      "    until: 2027-01-31\n",
      "w.yaml");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].id, "net.nntp");
  EXPECT_EQ(w[0].why, "our ISP blocks port 119");
  EXPECT_EQ(w[0].until, "2027-01-31");
  EXPECT_EQ(w[0].where, "w.yaml:2:5");
}

TEST(WaiverReader, MistakesNameFileLineAndColumn) {
  EXPECT_EQ(errorOf("waivers:\n  - id: a\n    why: b\n"),
            "w.yaml:2:5: a waiver needs until (id, why and until)");
  EXPECT_EQ(errorOf("waivers:\n  - id: a\n    why: b\n    until: 2027-02-30\n"),
            "w.yaml:4:12: until: 2027-02-30: expected a date like 2027-01-31");
  EXPECT_EQ(errorOf("waivers:\n  - id: Not An Id\n    why: b\n    until: 2027-01-01\n"),
            "w.yaml:2:9: id: Not An Id is not a check id");
  EXPECT_EQ(errorOf("waivers:\n  - id: a\n    why: b\n    until: 2027-01-01\n    reason: c\n"),
            "w.yaml:5:5: unknown waiver key reason (expected id, why and until)");
  EXPECT_EQ(errorOf("waivers:\n  - id: a\n    why:\n    until: 2027-01-01\n"),
            "w.yaml:3:5: why: expected a non-empty text");
  EXPECT_EQ(errorOf("waivers: [a]\n"), "w.yaml:1:11: a waiver is a mapping with id, why and until");
  EXPECT_EQ(errorOf("- id: a\n"), "w.yaml:1:1: expected a mapping with a waivers: list");
  EXPECT_NE(errorOf("waivers:\n  - id: [\n").find("w.yaml:"), std::string::npos);
}

TEST(WaiverReader, FlagTakesAnIdAndMaybeADate) {
  Waiver plain = waiverFromFlag("net.nntp");
  EXPECT_EQ(plain.id, "net.nntp");
  EXPECT_EQ(plain.until, "");
  EXPECT_EQ(plain.where, "--waive net.nntp");
  Waiver dated = waiverFromFlag("net.nntp:2027-01-31");
  EXPECT_EQ(dated.id, "net.nntp");
  EXPECT_EQ(dated.until, "2027-01-31");
  EXPECT_THROW(waiverFromFlag("net.nntp:soon"), ProfileError);
  EXPECT_THROW(waiverFromFlag(":2027-01-31"), ProfileError);
}

TEST(WaiverReader, IsoDates) {
  EXPECT_TRUE(isIsoDate("2028-02-29"));
  EXPECT_FALSE(isIsoDate("2027-02-29"));
  EXPECT_FALSE(isIsoDate("2027-1-31"));
  EXPECT_FALSE(isIsoDate("2027-01-31x"));
  EXPECT_FALSE(isIsoDate(""));
}

}  // namespace
}  // namespace bbcheck
