// yaml-cpp's parser (YAML::Parser) calls a YAML::EventHandler for each node
// of a document, in order; TreeHandler builds the YamlNode tree from those
// calls and bounds nesting and aliases as it goes.
#include "checker/profile/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <vector>

#include "probes/utf8_text.h"

namespace bbcheck {
namespace {

using Kind = YamlNode::Kind;

// What `!!null` is once yaml-cpp has resolved the shorthand.
constexpr const char* kNullTag = "tag:yaml.org,2002:null";

constexpr const char* kSecondDocument =
    "a second YAML document ('---'): a profile file holds one profile";

YamlSyntaxError errorAt(const YAML::Mark& mark, const std::string& what) {
  if (mark.is_null()) return YamlSyntaxError(0, 0, what);
  return YamlSyntaxError(static_cast<size_t>(mark.line), static_cast<size_t>(mark.column), what);
}

YamlSyntaxError errorAtOffset(const std::string& text, size_t offset, const std::string& what) {
  size_t line = static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
  size_t lineStart = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  size_t column = lineStart == std::string::npos ? offset : offset - lineStart - 1;
  return YamlSyntaxError(line, column, what);
}

// yaml-cpp reads the bytes it is given as they come: bytes that are not
// UTF-8 would pass into scalars, and a 0x04 byte (its end-of-input mark)
// would quietly end the profile there. A profile is UTF-8 text without
// control characters, as YAML defines its characters.
void refuseWhatIsNotText(const std::string& text) {
  size_t invalid = firstInvalidUtf8(text);
  size_t end = std::min(invalid, text.size());
  for (size_t i = 0; i < end; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7f)
      throw errorAtOffset(text, i,
                          fmt::format("control characters are not allowed (byte 0x{:02x})", byte));
    // C1 controls, U+0080 to U+009F, but for NEL (U+0085), a line break.
    auto next = i + 1 < end ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (byte == 0xc2 && next >= 0x80 && next < 0xa0 && next != 0x85)
      throw errorAtOffset(text, i,
                          fmt::format("control characters are not allowed (U+{:04X})", next));
  }
  if (invalid != std::string::npos)
    throw errorAtOffset(
        text, invalid,
        fmt::format("invalid UTF-8 (byte 0x{:02x})", static_cast<unsigned char>(text[invalid])));
}

// A ',' ']' or '}' where a document should start: yaml-cpp reads it as an
// empty document and leaves it unread (YAML::LoadAll loops on it forever).
bool strayCharacterAt(const std::string& text, const YAML::Mark& mark) {
  if (mark.is_null() || mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size()) return false;
  char c = text[static_cast<size_t>(mark.pos)];
  return c == ',' || c == ']' || c == '}';
}

YamlSyntaxError strayCharacter(const std::string& text, const YAML::Mark& mark) {
  return errorAt(mark, fmt::format("unexpected '{}'", text[static_cast<size_t>(mark.pos)]));
}

// yaml-cpp's message, reworded where it is terse.
YamlSyntaxError syntaxError(const YAML::Exception& e, const std::string& text) {
  if (auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
    return errorAt(e.mark,
                   fmt::format("lists or mappings nested more than {} deep", deep->depth() - 1));
  // It points at the alias but does not name it: an alias ends at a space,
  // a line break or a flow indicator.
  if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR && !e.mark.is_null() &&
      static_cast<size_t>(e.mark.pos) < text.size() && text[e.mark.pos] == '*') {
    size_t start = static_cast<size_t>(e.mark.pos);
    size_t end = text.find_first_of(" \t\r\n,[]{}", start);
    return errorAt(e.mark, fmt::format("unknown anchor '{}'", text.substr(start, end - start)));
  }
  return errorAt(e.mark, e.msg.empty() ? "unreadable YAML" : e.msg);
}

class TreeHandler : public YAML::EventHandler {
 public:
  explicit TreeHandler(const std::string& text) : text_(text) {}

  YamlNode finish() { return tree_.finish(); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchorName_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (tree_.depth() == 0 && strayCharacterAt(text_, mark)) throw strayCharacter(text_, mark);
    leaf(Kind::Null, mark, anchor, "");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(tag == kNullTag ? Kind::Null : Kind::Scalar, mark, anchor, value);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // yaml-cpp refuses a name never anchored; one whose node is still open
    // would make the node contain itself.
    const Anchored& target = anchored(anchor);
    if (target.node == nullptr)
      throw errorAt(mark, fmt::format("alias '*{}' inside the node it names", target.name));
    aliasNodes_ += target.nodes;
    if (aliasNodes_ > kMaxAliasNodes)
      throw errorAt(mark,
                    fmt::format("aliases stand for more than {} nodes in all", kMaxAliasNodes));
    tree_.addAgain(target.node);
    count(target.nodes);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Kind::Sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Kind::Map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // A node an anchor names: what its aliases add again, and how many nodes
  // it stands for (itself and everything in it, aliases counted in full).
  struct Anchored {
    std::string name;
    YamlTreeBuilder::NodeRef node = nullptr;  // null until the node is complete
    size_t nodes = 0;
  };
  // A list or mapping whose end has not come yet.
  struct Open {
    YAML::anchor_t anchor;
    size_t nodes;
  };

  // yaml-cpp numbers a document's anchors 1, 2, 3... as they appear.
  Anchored& anchored(YAML::anchor_t anchor) {
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    return anchors_[anchor];
  }

  void leaf(Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& value) {
    named(anchor);
    auto node = tree_.addScalar(kind, static_cast<size_t>(mark.line),
                                static_cast<size_t>(mark.column), value);
    count(1);
    complete(anchor, node, 1);
  }

  void open(Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (tree_.depth() >= kMaxYamlDepth)
      throw errorAt(mark, fmt::format("lists or mappings nested more than {} deep", kMaxYamlDepth));
    named(anchor);
    tree_.open(kind, static_cast<size_t>(mark.line), static_cast<size_t>(mark.column));
    open_.push_back({anchor, 1});
  }

  void close() {
    Open done = open_.back();
    open_.pop_back();
    auto node = tree_.close();
    count(done.nodes);
    complete(done.anchor, node, done.nodes);
  }

  // The anchor's name comes in OnAnchor, just before the node it names.
  void named(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchored(anchor).name = anchorName_;
  }

  void complete(YAML::anchor_t anchor, YamlTreeBuilder::NodeRef node, size_t nodes) {
    if (anchor == YAML::NullAnchor) return;
    Anchored& a = anchored(anchor);
    a.node = node;
    a.nodes = nodes;
  }

  // Nodes added to the innermost open list or mapping.
  void count(size_t nodes) {
    if (!open_.empty()) open_.back().nodes += nodes;
  }

  const std::string& text_;
  YamlTreeBuilder tree_;
  std::vector<Open> open_;
  std::vector<Anchored> anchors_;
  std::string anchorName_;
  size_t aliasNodes_ = 0;
};

// Called on what follows the first document: any node there starts a
// second document, and the error points at it (yaml-cpp's YAML::Load would
// quietly drop it). The parser stops at the first node.
class SecondDocumentFinder : public YAML::EventHandler {
 public:
  explicit SecondDocumentFinder(const std::string& text) : text_(text) {}

  // Whether the document opened with a `---` marker.
  bool afterMarker() const { return afterMarker_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    afterMarker_ = !mark.is_null() && text_.compare(static_cast<size_t>(mark.pos), 3, "---") == 0;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    // Without a marker, a stray character is what follows the first one.
    if (!afterMarker_ && strayCharacterAt(text_, mark)) throw strayCharacter(text_, mark);
    found(mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { found(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    found(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    found(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    found(mark);
  }
  void OnMapEnd() override {}

 private:
  [[noreturn]] static void found(const YAML::Mark& mark) {
    throw YamlSecondDocument(static_cast<size_t>(mark.line), static_cast<size_t>(mark.column),
                             kSecondDocument);
  }

  const std::string& text_;
  bool afterMarker_ = false;
};

// Parses once more after the first document: never in a loop, since
// yaml-cpp 0.7 keeps handing out empty documents at a stray ',' (that is
// what made YAML::LoadAll hang, found by fuzz_profile).
void refuseSecondDocument(YAML::Parser& parser, const std::string& text) {
  SecondDocumentFinder finder(text);
  try {
    parser.HandleNextDocument(finder);
  } catch (const YamlSyntaxError&) {
    throw;
  } catch (const YAML::Exception& e) {
    // After a `---`, the second document is the mistake, wherever reading
    // it failed.
    if (finder.afterMarker())
      throw YamlSecondDocument(static_cast<size_t>(std::max(e.mark.line, 0)),
                               static_cast<size_t>(std::max(e.mark.column, 0)), kSecondDocument);
    throw syntaxError(e, text);
  }
}

}  // namespace

YamlNode readYamlDocument(const std::string& text) {
  refuseWhatIsNotText(text);
  std::istringstream in(text);
  TreeHandler tree(text);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(tree)) return {};
    refuseSecondDocument(parser, text);
  } catch (const YamlSyntaxError&) {
    throw;
  } catch (const YAML::Exception& e) {
    throw syntaxError(e, text);
  }
  return tree.finish();
}

}  // namespace bbcheck
