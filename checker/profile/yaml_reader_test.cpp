#include "checker/profile/yaml_reader.h"

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

TEST(YamlReader, MappingsListsAndScalarsWithPositions) {
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

TEST(YamlReader, NullIsAPlainEmptyOrNullWordNotAQuotedOne) {
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

TEST(YamlReader, DuplicateKeysAreKeptForTheReaderToRefuse) {
  YamlNode root = readYamlDocument("a: 1\na: 2\n");
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root.find("a").scalar(), "1");
}

TEST(YamlReader, AnAliasIsTheAnchoredNode) {
  YamlNode root = readYamlDocument("x: &t [a, b]\ny: *t\n");
  ASSERT_TRUE(root.find("y").isSequence());
  EXPECT_EQ(root.find("y").items()[1].scalar(), "b");
  EXPECT_EQ(yamlErrorOf("x: *nowhere\n"), "1:4: unknown anchor '*nowhere'");
  // A node cannot contain itself.
  EXPECT_EQ(yamlErrorOf("x: &t [a, *t]\n"), "1:11: alias '*t' inside the node it names");
  EXPECT_EQ(yamlErrorOf("x: &t {k: *t}\n"), "1:11: alias '*t' inside the node it names");
}

// Ten lists of ten aliases to the one before: 10^10 nodes in 400 bytes.
TEST(YamlReader, AliasesThatStandForMillionsOfNodesAreRefused) {
  std::string text = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  std::string error = yamlErrorOf(text);
  EXPECT_NE(error.find("aliases stand for more than 1000000 nodes in all"), std::string::npos)
      << error;
  // Five levels are fine: l4 stands for 111,111 nodes.
  size_t fifthLine = 0;
  for (int i = 0; i < 5; ++i) fifthLine = text.find('\n', fifthLine) + 1;
  EXPECT_TRUE(readYamlDocument(text.substr(0, fifthLine)).isMap());
}

TEST(YamlReader, EmptyTextHoldsNoDocument) {
  EXPECT_FALSE(readYamlDocument("").isDefined());
  EXPECT_FALSE(readYamlDocument("# only a comment\n").isDefined());
  EXPECT_TRUE(readYamlDocument("---\n").isNull());
}

TEST(YamlReader, SyntaxErrorsSayWhatAndWhere) {
  EXPECT_EQ(yamlErrorOf("a: [1, 2\nb: 3\n"), "2:2: end of sequence flow not found");
  EXPECT_EQ(yamlErrorOf(",x: 1\n"), "1:1: unexpected ','");
  EXPECT_EQ(yamlErrorOf("a: 1\n]\n"), "2:1: illegal flow end");
  EXPECT_EQ(yamlErrorOf("[a],\n"), "1:4: unexpected ','");
}

TEST(YamlReader, BytesThatAreNotUtf8AreASyntaxErrorAtTheirOffset) {
  EXPECT_EQ(yamlErrorOf("a: 1\nb: caf\xe9\n"), "2:7: invalid UTF-8 (byte 0xe9)");
  EXPECT_EQ(yamlErrorOf(std::string("a: x\0y\n", 7)),
            "1:5: control characters are not allowed (byte 0x00)");
  // yaml-cpp would take 0x04 for the end of the text and drop the rest.
  EXPECT_EQ(yamlErrorOf("a: 1\n\x04\nb: 2\n"),
            "2:1: control characters are not allowed (byte 0x04)");
  EXPECT_EQ(yamlErrorOf("a: \xc2\x80\n"), "1:4: control characters are not allowed (U+0080)");
  EXPECT_EQ(readYamlDocument("a: caf\xc3\xa9\tb\n").find("a").scalar(), "caf\xc3\xa9\tb");
}

TEST(YamlReader, ASecondDocumentIsRefusedWhereItStarts) {
  try {
    readYamlDocument("a: 1\n---\nb: 2\n");
    FAIL() << "a second document was accepted";
  } catch (const YamlSecondDocument& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 0u);
  }
  EXPECT_EQ(yamlErrorOf("a: 1\n...\nb: 2\n"),
            "3:1: a second YAML document ('---'): a profile file holds one profile");
  EXPECT_EQ(yamlErrorOf("a: 1\n---\n,\n"),
            "3:1: a second YAML document ('---'): a profile file holds one profile");
  // After an explicit end, nothing more is fine.
  EXPECT_TRUE(readYamlDocument("a: 1\n...\n").isMap());
}

TEST(YamlReader, NestingDeeperThanTheLimitIsRefused) {
  std::string deep = std::string(kMaxYamlDepth + 1, '[') + std::string(kMaxYamlDepth + 1, ']');
  EXPECT_EQ(yamlErrorOf(deep), "1:401: lists or mappings nested more than 400 deep");
  std::string ok = std::string(kMaxYamlDepth, '[') + std::string(kMaxYamlDepth, ']');
  EXPECT_TRUE(readYamlDocument(ok).isSequence());
  EXPECT_TRUE(readYamlDocument("[[a]]").items()[0].isSequence());
  // 100,000 levels: still a clean error, not a stack overflow.
  EXPECT_NE(yamlErrorOf(std::string(100000, '[')).find("nested more than 400 deep"),
            std::string::npos);
  EXPECT_NE(yamlErrorOf(std::string(100000, '{')).find("nested more than 400 deep"),
            std::string::npos);
}

}  // namespace
}  // namespace bbcheck
