#include "checker/profile/yaml_node.h"

#include <gtest/gtest.h>

#include <string>

namespace bbcheck {
namespace {

// What readYamlDocument threw for `text`: "line:column: message" (1-based).
std::string yamlErrorOf(const std::string& text) {
  try {
    readYamlDocument(text);
  } catch (const YamlSyntaxError& e) {
    return std::to_string(e.line() + 1) + ":" + std::to_string(e.column() + 1) + ": " + e.what();
  }
  return "no error";
}

TEST(YamlNode, MappingsListsAndScalarsWithPositions) {
  YamlNode root = readYamlDocument("name: p\nchecks:\n  - id: a\n    with: { min: 2 }\n");
  ASSERT_TRUE(root.isMap());
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root.find("name").scalar(), "p");
  YamlNode checks = root.find("checks");
  ASSERT_TRUE(checks.isSequence());
  ASSERT_EQ(checks.items().size(), 1u);
  EXPECT_EQ(checks.line(), 2u);  // 0-based: line 3, at the '-'
  EXPECT_EQ(checks.column(), 2u);
  YamlNode id = checks.items()[0].find("id");
  EXPECT_EQ(id.scalar(), "a");
  EXPECT_EQ(id.line(), 2u);
  EXPECT_EQ(id.column(), 8u);
  YamlNode min = checks.items()[0].find("with").find("min");
  EXPECT_EQ(min.scalar(), "2");
  EXPECT_EQ(min.line(), 3u);
  EXPECT_FALSE(root.find("absent").isDefined());
  EXPECT_FALSE(root.find("absent").hasMark());
}

TEST(YamlNode, NullIsAPlainEmptyOrNullWordNotAQuotedOne) {
  YamlNode root = readYamlDocument("a:\nb: ~\nc: null\nd: NULL\ne: ''\nf: \"null\"\ng: !!null x\n");
  EXPECT_TRUE(root.find("a").isNull());
  EXPECT_TRUE(root.find("b").isNull());
  EXPECT_TRUE(root.find("c").isNull());
  EXPECT_TRUE(root.find("d").isNull());
  EXPECT_TRUE(root.find("e").isScalar());
  EXPECT_EQ(root.find("f").scalar(), "null");
  EXPECT_TRUE(root.find("g").isNull());
  EXPECT_EQ(root.find("a").scalar(), "");  // a null has no text
}

TEST(YamlNode, DuplicateKeysAreKeptForTheReaderToRefuse) {
  YamlNode root = readYamlDocument("a: 1\na: 2\n");
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root.find("a").scalar(), "1");
}

TEST(YamlNode, AnAliasIsTheAnchoredNode) {
  YamlNode root = readYamlDocument("x: &t [a, b]\ny: *t\n");
  ASSERT_TRUE(root.find("y").isSequence());
  EXPECT_EQ(root.find("y").items()[1].scalar(), "b");
  EXPECT_EQ(yamlErrorOf("x: *nowhere\n"), "1:4: unknown anchor '*nowhere'");
  // A node cannot contain itself: its anchor counts once it is complete.
  EXPECT_EQ(yamlErrorOf("x: &t [a, *t]\n"), "1:11: unknown anchor '*t'");
}

TEST(YamlNode, EmptyTextHoldsNoDocument) {
  EXPECT_FALSE(readYamlDocument("").isDefined());
  EXPECT_FALSE(readYamlDocument("# only a comment\n").isDefined());
  EXPECT_TRUE(readYamlDocument("---\n").isNull());
}

TEST(YamlNode, SyntaxErrorsSayWhatAndWhere) {
  EXPECT_EQ(yamlErrorOf("a: [1, 2\nb: 3\n"),
            "2:2: did not find expected ',' or ']' (while parsing a flow sequence at line 1, "
            "column 4)");
  EXPECT_EQ(yamlErrorOf(",x: 1\n"), "1:1: unexpected ','");
  EXPECT_EQ(yamlErrorOf("a: 1\n]\n"), "2:1: unexpected ']'");
}

TEST(YamlNode, BytesThatAreNotUtf8AreASyntaxErrorAtTheirOffset) {
  EXPECT_EQ(yamlErrorOf("a: 1\nb: caf\xe9\n"), "2:7: incomplete UTF-8 octet sequence (byte 0xe9)");
  EXPECT_EQ(yamlErrorOf(std::string("a: x\0y\n", 7)),
            "1:5: control characters are not allowed (byte 0x00)");
}

TEST(YamlNode, ASecondDocumentIsRefusedWhereItStarts) {
  try {
    readYamlDocument("a: 1\n---\nb: 2\n");
    FAIL() << "a second document was accepted";
  } catch (const YamlSecondDocument& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 0u);
  }
  // After an explicit end, nothing more is fine.
  EXPECT_TRUE(readYamlDocument("a: 1\n...\n").isMap());
}

TEST(YamlNode, NestingDeeperThanTheLimitIsRefusedWithoutRecursion) {
  std::string deep(kMaxYamlDepth + 1, '[');
  EXPECT_EQ(yamlErrorOf(deep), "1:501: lists or mappings nested more than 500 deep");
  std::string ok = std::string(kMaxYamlDepth, '[') + std::string(kMaxYamlDepth, ']');
  EXPECT_TRUE(readYamlDocument(ok).isSequence());
  // 100,000 levels: still a clean error, not a stack overflow.
  EXPECT_NE(yamlErrorOf(std::string(100000, '[')).find("nested more than 500 deep"),
            std::string::npos);
}

}  // namespace
}  // namespace bbcheck
