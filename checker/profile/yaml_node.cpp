// Builds a YamlNode tree from libyaml's parser events, without recursion:
// the open lists and mappings are a stack, bounded by kMaxYamlDepth.
#include "checker/profile/yaml_node.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <new>

namespace bbcheck {
namespace {

const std::string kNoText;
// A plain scalar that YAML's core schema reads as null, as yaml-cpp did.
bool isNullScalar(const yaml_event_t& event) {
  const auto& s = event.data.scalar;
  const char* tag = reinterpret_cast<const char*>(s.tag);
  if (tag != nullptr) return std::strcmp(tag, YAML_NULL_TAG) == 0;
  if (s.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const std::string value(reinterpret_cast<const char*>(s.value), s.length);
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

// One parser event, released when it goes out of scope.
struct Event {
  yaml_event_t raw{};
  bool owned = false;
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() {
    if (owned) yaml_event_delete(&raw);
  }
};

std::string anchorOf(const yaml_char_t* anchor) {
  return anchor == nullptr ? std::string() : reinterpret_cast<const char*>(anchor);
}

}  // namespace

struct YamlNode::Document {
  static constexpr size_t kChunk = 1024;
  std::vector<std::unique_ptr<Data[]>> chunks;
  size_t used = kChunk;  // in the last chunk

  Data* make() {
    if (used == kChunk) {
      chunks.push_back(std::make_unique<Data[]>(kChunk));
      used = 0;
    }
    return &chunks.back()[used++];
  }
};

const std::string& YamlNode::scalar() const {
  return isScalar() ? data_->scalar : kNoText;
}

const std::vector<const YamlNode::Data*>& YamlNode::children(Kind kind) const {
  static const std::vector<const Data*> none;
  return this->kind() == kind ? data_->children : none;
}

YamlNode::Items YamlNode::items() const {
  return Items(document_, children(Kind::Sequence));
}

YamlNode::Entries YamlNode::entries() const {
  return Entries(document_, children(Kind::Map));
}

YamlNode YamlNode::find(const std::string& key) const {
  const auto& pairs = children(Kind::Map);
  for (size_t i = 0; i + 1 < pairs.size(); i += 2)
    if (pairs[i]->kind == Kind::Scalar && pairs[i]->scalar == key)
      return YamlNode(document_, pairs[i + 1]);
  return {};
}

class YamlReader {
 public:
  explicit YamlReader(const std::string& text) : text_(text) {
    if (yaml_parser_initialize(&parser_) == 0) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlReader() { yaml_parser_delete(&parser_); }
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  YamlNode read() {
    document_ = std::make_shared<YamlNode::Document>();
    int documents = 0;
    for (;;) {
      Event event;
      next(event);
      const yaml_event_t& e = event.raw;
      switch (e.type) {
        case YAML_STREAM_END_EVENT:
          if (root_ == nullptr) return {};
          return YamlNode(std::move(document_), root_);
        case YAML_DOCUMENT_START_EVENT:
          if (++documents == 2) throw secondDocument(e.start_mark);
          break;
        case YAML_SCALAR_EVENT:
          scalar(e);
          break;
        case YAML_ALIAS_EVENT:
          alias(e);
          break;
        case YAML_SEQUENCE_START_EVENT:
          open(YamlNode::Kind::Sequence, e.start_mark, anchorOf(e.data.sequence_start.anchor));
          break;
        case YAML_MAPPING_START_EVENT:
          open(YamlNode::Kind::Map, e.start_mark, anchorOf(e.data.mapping_start.anchor));
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        default:
          break;
      }
    }
  }

 private:
  using Data = YamlNode::Data;

  // A list or mapping whose end has not been read yet.
  struct Open {
    Data* data;
    std::string anchor;
  };

  void next(Event& event) {
    if (yaml_parser_parse(&parser_, &event.raw) == 0) throw syntaxError();
    event.owned = true;
  }

  Data* startNode(YamlNode::Kind kind, const yaml_mark_t& mark) {
    Data* data = document_->make();
    data->kind = kind;
    data->line = static_cast<uint32_t>(mark.line);
    data->column = static_cast<uint32_t>(mark.column);
    return data;
  }

  void scalar(const yaml_event_t& e) {
    bool null = isNullScalar(e);
    Data* data = startNode(null ? YamlNode::Kind::Null : YamlNode::Kind::Scalar, e.start_mark);
    if (!null)
      data->scalar.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
    remember(anchorOf(e.data.scalar.anchor), data);
    add(data);
  }

  void alias(const yaml_event_t& e) {
    std::string name = anchorOf(e.data.alias.anchor);
    auto found = anchors_.find(name);
    // An anchor counts once its node is complete: a list cannot hold itself.
    if (found == anchors_.end())
      throw YamlSyntaxError(e.start_mark.line, e.start_mark.column,
                            fmt::format("unknown anchor '*{}'", name));
    add(found->second);
  }

  void open(YamlNode::Kind kind, const yaml_mark_t& mark, std::string anchor) {
    if (open_.size() >= kMaxYamlDepth)
      throw YamlSyntaxError(
          mark.line, mark.column,
          fmt::format("lists or mappings nested more than {} deep", kMaxYamlDepth));
    open_.push_back({startNode(kind, mark), std::move(anchor)});
  }

  void close() {
    Open done = std::move(open_.back());
    open_.pop_back();
    remember(done.anchor, done.data);
    add(done.data);
  }

  void remember(const std::string& anchor, const Data* data) {
    if (!anchor.empty()) anchors_[anchor] = data;
  }

  // libyaml gives a mapping's keys and values in turn, so a mapping's
  // children alternate key, value.
  void add(const Data* data) {
    if (open_.empty())
      root_ = data;
    else
      open_.back().data->children.push_back(data);
  }

  // Where the second document's first node starts (or where reading it
  // failed): that is what the user wrote after the marker.
  YamlSecondDocument secondDocument(const yaml_mark_t& marker) {
    size_t line = marker.line, column = marker.column;
    try {
      Event event;
      next(event);
      if (event.raw.type != YAML_DOCUMENT_END_EVENT) {
        line = event.raw.start_mark.line;
        column = event.raw.start_mark.column;
      }
    } catch (const YamlSyntaxError& e) {
      line = e.line();
      column = e.column();
    }
    return YamlSecondDocument(line, column,
                              "a second YAML document ('---'): a profile file holds one profile");
  }

  YamlSyntaxError syntaxError() const {
    const yaml_parser_t& p = parser_;
    if (p.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
    std::string problem = p.problem != nullptr ? p.problem : "unreadable YAML";
    if (p.error == YAML_READER_ERROR) {
      // Bytes that are not UTF-8 (or NUL): only an offset is known.
      size_t offset = std::min(p.problem_offset, text_.size());
      size_t line = static_cast<size_t>(std::count(text_.begin(), text_.begin() + offset, '\n'));
      size_t lineStart = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
      size_t column =
          (lineStart == std::string::npos || offset == 0) ? offset : offset - lineStart - 1;
      if (offset == text_.size()) return YamlSyntaxError(line, column, problem);
      return YamlSyntaxError(
          line, column,
          fmt::format("{} (byte 0x{:02x})", problem, static_cast<unsigned char>(text_[offset])));
    }
    size_t at = p.problem_mark.index;
    char found = at < text_.size() ? text_[at] : '\0';
    // A closing bracket or comma where a value or key should start.
    bool wantedNodeOrKey =
        problem == "did not find expected node content" || problem == "did not find expected key";
    if (wantedNodeOrKey && found != '\0' && std::strchr(",]}", found) != nullptr)
      return YamlSyntaxError(p.problem_mark.line, p.problem_mark.column,
                             fmt::format("unexpected '{}'", found));
    if (p.context != nullptr)
      problem += fmt::format(" ({} at line {}, column {})", p.context, p.context_mark.line + 1,
                             p.context_mark.column + 1);
    return YamlSyntaxError(p.problem_mark.line, p.problem_mark.column, problem);
  }

  const std::string& text_;
  yaml_parser_t parser_{};
  std::shared_ptr<YamlNode::Document> document_;
  std::vector<Open> open_;
  std::map<std::string, const Data*> anchors_;
  const Data* root_ = nullptr;
};

YamlNode readYamlDocument(const std::string& text) {
  return YamlReader(text).read();
}

}  // namespace bbcheck
