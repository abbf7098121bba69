#include "checker/profile/yaml_node.h"

namespace bbcheck {
namespace {

const std::string kNoText;

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

YamlTreeBuilder::YamlTreeBuilder() : document_(std::make_shared<YamlNode::Document>()) {}

YamlTreeBuilder::NodeRef YamlTreeBuilder::addScalar(Kind kind, size_t line, size_t column,
                                                    const std::string& text) {
  YamlNode::Data* data = document_->make();
  data->kind = kind;
  data->line = static_cast<uint32_t>(line);
  data->column = static_cast<uint32_t>(column);
  if (kind == Kind::Scalar) data->scalar = text;
  add(data);
  return data;
}

void YamlTreeBuilder::addAgain(NodeRef node) {
  add(node);
}

void YamlTreeBuilder::open(Kind kind, size_t line, size_t column) {
  YamlNode::Data* data = document_->make();
  data->kind = kind;
  data->line = static_cast<uint32_t>(line);
  data->column = static_cast<uint32_t>(column);
  open_.push_back(data);
}

YamlTreeBuilder::NodeRef YamlTreeBuilder::close() {
  YamlNode::Data* done = open_.back();
  open_.pop_back();
  add(done);
  return done;
}

// A parser gives a mapping's keys and values in turn, so a mapping's
// children alternate key, value.
void YamlTreeBuilder::add(NodeRef node) {
  if (open_.empty())
    root_ = node;
  else
    open_.back()->children.push_back(node);
}

YamlNode YamlTreeBuilder::finish() {
  if (root_ == nullptr) return {};
  return YamlNode(document_, root_);
}

}  // namespace bbcheck
