// One PAM transaction (pam_session.h).
#include "session/pam_session.h"

#include <cstdlib>
#include <cstring>

namespace bbcheck::session {

PamSession::~PamSession() {
  if (handle_ == nullptr) return;
  // cron's order after the job: credentials, then the session, then the end.
  if (credentials_) pam_setcred(handle_, PAM_DELETE_CRED | PAM_SILENT);
  if (open_) last_ = pam_close_session(handle_, PAM_SILENT);
  pam_end(handle_, last_);
}

int PamSession::converse(int count, const struct pam_message** messages,
                         struct pam_response** replies, void* self) {
  auto* session = static_cast<PamSession*>(self);
  if (count <= 0) return PAM_CONV_ERR;
  auto* answers = static_cast<pam_response*>(std::calloc(count, sizeof(pam_response)));
  if (answers == nullptr) return PAM_BUF_ERR;
  for (int i = 0; i < count; ++i) {
    const pam_message* m = messages[i];
    if (m->msg_style == PAM_ERROR_MSG || m->msg_style == PAM_TEXT_INFO) {
      if (m->msg != nullptr) session->messages_.emplace_back(m->msg);
      continue;
    }
    // A prompt (a password, a new password): no one is there to answer,
    // as no one is when cron starts a job.
    std::free(answers);
    return PAM_CONV_ERR;
  }
  *replies = answers;
  return PAM_SUCCESS;
}

int PamSession::start(const std::string& service, const std::string& user) {
  return last_ = pam_start(service.c_str(), user.c_str(), &conversation_, &handle_);
}

int PamSession::setItem(int item, const std::string& value) {
  return last_ = pam_set_item(handle_, item, value.c_str());
}

int PamSession::putEnv(const std::string& assignment) {
  return last_ = pam_putenv(handle_, assignment.c_str());
}

int PamSession::accountStep() {
  return last_ = pam_acct_mgmt(handle_, 0);
}

int PamSession::establishCredentials() {
  last_ = pam_setcred(handle_, PAM_ESTABLISH_CRED);
  credentials_ = last_ == PAM_SUCCESS;
  return last_;
}

int PamSession::reinitialiseCredentials() {
  return pam_setcred(handle_, PAM_REINITIALIZE_CRED | PAM_SILENT);
}

int PamSession::openSession() {
  last_ = pam_open_session(handle_, 0);
  open_ = last_ == PAM_SUCCESS;
  return last_;
}

std::vector<std::string> PamSession::environment() const {
  std::vector<std::string> env;
  char** list = pam_getenvlist(handle_);
  for (char** e = list; e != nullptr && *e != nullptr; ++e) {
    env.emplace_back(*e);
    std::free(*e);
  }
  std::free(list);
  return env;
}

std::string PamSession::error(int code) const {
  std::string text = pam_strerror(handle_, code);
  for (const std::string& m : messages_) text += " (\"" + m + "\")";
  return text;
}

}  // namespace bbcheck::session
