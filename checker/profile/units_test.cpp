#include "checker/profile/units.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(parseDuration("250ms"), 250);
  EXPECT_EQ(parseDuration("3s"), 3000);
  EXPECT_EQ(parseDuration("1.5s"), 1500);
  EXPECT_EQ(parseDuration("1m"), 60000);
  EXPECT_EQ(parseDuration("2h"), 7200000);
  EXPECT_FALSE(parseDuration("3"));  // a unit is required: 3 what?
  EXPECT_FALSE(parseDuration("3 parsecs"));
  EXPECT_FALSE(parseDuration("-1s"));
  EXPECT_EQ(parseDuration(" 3 s "), 3000);
  EXPECT_FALSE(parseDuration("1.s"));
  EXPECT_FALSE(parseDuration("3S"));
  EXPECT_FALSE(parseDuration("3sec"));
  EXPECT_FALSE(parseDuration("3s5"));
  EXPECT_FALSE(parseDuration(""));
}

TEST(Units, Sizes) {
  EXPECT_EQ(parseSize("512MiB"), 512LL << 20);
  EXPECT_EQ(parseSize("30GB"), 30000000000LL);
  EXPECT_EQ(parseSize("2.5G"), static_cast<int64_t>(2.5 * (1LL << 30)));
  EXPECT_EQ(parseSize("1024"), 1024);
  EXPECT_EQ(parseSize("1k"), 1024);
  EXPECT_EQ(parseSize("1KB"), 1000);
  EXPECT_EQ(parseSize("4 TiB"), 4LL << 40);
  EXPECT_FALSE(parseSize("lots"));
  EXPECT_FALSE(parseSize("1Ki"));
  EXPECT_FALSE(parseSize("1.5"));  // a fraction of a byte
  EXPECT_EQ(parseSize("1kib"), 1024);
  EXPECT_EQ(parseSize("2 B"), 2);
  EXPECT_FALSE(parseSize("1iB"));
  EXPECT_FALSE(parseSize("1KBB"));
  EXPECT_FALSE(parseSize("1.KB"));
}

TEST(Units, OutOfRangeNumbersAreRefusedNotWrapped) {
  UnitError why = UnitError::Syntax;
  // Used to come out as a negative byte count, so every `min` check passed.
  EXPECT_FALSE(parseSize("99999999999999999999", &why));
  EXPECT_EQ(why, UnitError::OutOfRange);
  EXPECT_FALSE(parseSize("99999999999TiB", &why));
  EXPECT_EQ(why, UnitError::OutOfRange);
  EXPECT_FALSE(parseSize(std::string(400, '9') + "G", &why));  // beyond a double: no exception
  EXPECT_EQ(why, UnitError::OutOfRange);
  EXPECT_EQ(parseSize("8000000000000000000"), 8000000000000000000LL);
  EXPECT_FALSE(parseDuration("1" + std::string(400, '0') + "s", &why));
  EXPECT_EQ(why, UnitError::OutOfRange);
  EXPECT_FALSE(parseDuration("99999999999h", &why));
  EXPECT_EQ(why, UnitError::OutOfRange);
  EXPECT_FALSE(parseSize("lots", &why));
  EXPECT_EQ(why, UnitError::Syntax);
}

}  // namespace
}  // namespace bbcheck
