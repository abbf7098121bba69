// A YAML document as profiles are read: scalars, lists and mappings, each
// node with where it was written. yaml_reader.h builds it from yaml-cpp's
// parser events. Not YAML::Node, which yaml-cpp's YAML::Load builds: on the
// 11.6 MB profile of bench/validate_scale.sh that tree takes as much CPU as
// the parse itself and 700 MB (all of `bbcheck validate` with this one:
// 335 MB), and it hides which nodes are aliases, so their expansion could
// not be bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace bbcheck {

class YamlNode {
 public:
  enum class Kind { Undefined, Null, Scalar, Sequence, Map };
  using Entry = std::pair<YamlNode, YamlNode>;
  template <typename Element, size_t kStep>
  class Children;
  using Items = Children<YamlNode, 1>;
  using Entries = Children<Entry, 2>;

  YamlNode() = default;  // undefined: a key that is not there

  Kind kind() const { return data_ ? data_->kind : Kind::Undefined; }
  bool isDefined() const { return kind() != Kind::Undefined; }
  bool isNull() const { return kind() == Kind::Null; }
  bool isScalar() const { return kind() == Kind::Scalar; }
  bool isSequence() const { return kind() == Kind::Sequence; }
  bool isMap() const { return kind() == Kind::Map; }

  // The text of a scalar ("" for any other node).
  const std::string& scalar() const;
  // The items of a list, the key/value pairs of a mapping in the order
  // written (duplicate keys kept: the reader decides); empty otherwise.
  Items items() const;
  Entries entries() const;
  // The value under a scalar key of a mapping; undefined when absent.
  YamlNode find(const std::string& key) const;

  // Where the node starts: 0-based line and column.
  bool hasMark() const { return data_ != nullptr; }
  size_t line() const { return data_ ? data_->line : 0; }
  size_t column() const { return data_ ? data_->column : 0; }

 private:
  friend class YamlTreeBuilder;
  struct Data {
    Kind kind = Kind::Null;
    uint32_t line = 0, column = 0;  // a profile is at most 16 MiB
    std::string scalar;
    // A list's items; a mapping's keys and values, alternating.
    std::vector<const Data*> children;
  };
  // Every node of one document, allocated in chunks and freed together:
  // a 100,000-check profile has over a million nodes.
  struct Document;
  using DocumentPtr = std::shared_ptr<const Document>;

  YamlNode(DocumentPtr document, const Data* data) : document_(std::move(document)), data_(data) {}
  const std::vector<const Data*>& children(Kind kind) const;

  DocumentPtr document_;  // keeps data_ alive
  const Data* data_ = nullptr;
};

// The children of a list or mapping, as values: a list's items (YamlNode,
// one child each) or a mapping's key/value pairs (Entry, two children each).
template <typename Element, size_t kStep>
class YamlNode::Children {
 public:
  class iterator {
   public:
    iterator(const DocumentPtr* document, const Data* const* at) : document_(document), at_(at) {}
    Element operator*() const { return element(*document_, at_); }
    iterator& operator++() {
      at_ += kStep;
      return *this;
    }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }

   private:
    const DocumentPtr* document_;
    const Data* const* at_;
  };
  Children(DocumentPtr document, const std::vector<const Data*>& children)
      : document_(std::move(document)), children_(children) {}
  size_t size() const { return children_.size() / kStep; }
  Element operator[](size_t i) const {
    if ((i + 1) * kStep > children_.size()) throw std::out_of_range("YamlNode child");
    return element(document_, children_.data() + i * kStep);
  }
  iterator begin() const { return {&document_, children_.data()}; }
  iterator end() const { return {&document_, children_.data() + size() * kStep}; }

 private:
  static Element element(const DocumentPtr& document, const Data* const* at) {
    if constexpr (kStep == 1)
      return YamlNode(document, at[0]);
    else
      return Entry{YamlNode(document, at[0]), YamlNode(document, at[1])};
  }

  DocumentPtr document_;
  const std::vector<const Data*>& children_;
};

// Builds one document's tree, node by node as a parser meets them. Lists
// and mappings are opened and closed; scalars, nulls and aliases are added
// to the innermost open one (the first node added outside any is the root).
class YamlTreeBuilder {
 public:
  using Kind = YamlNode::Kind;
  // A node being built or built; opaque outside this class.
  using NodeRef = const YamlNode::Data*;

  YamlTreeBuilder();

  NodeRef addScalar(Kind kind, size_t line, size_t column, const std::string& text);
  // An alias: the node `node` again (shared, not copied).
  void addAgain(NodeRef node);
  void open(Kind kind, size_t line, size_t column);
  // Closes the innermost open list or mapping and returns it.
  NodeRef close();
  size_t depth() const { return open_.size(); }

  // The root; undefined when nothing was added.
  YamlNode finish();

 private:
  void add(NodeRef node);

  std::shared_ptr<YamlNode::Document> document_;
  std::vector<YamlNode::Data*> open_;
  NodeRef root_ = nullptr;
};

}  // namespace bbcheck
