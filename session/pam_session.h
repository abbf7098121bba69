// One PAM transaction, as cron (do_command.c) and systemd (exec_child)
// hold it: pam_start, the account step, credentials, the session; closed
// again (pam_close_session, pam_setcred DELETE, pam_end) when it goes out of
// scope. Every message PAM's modules send through the conversation is kept,
// so that a refusal can be quoted in PAM's own words.
#pragma once

#include <security/pam_appl.h>

#include <string>
#include <vector>

namespace bbcheck::session {

class PamSession {
 public:
  PamSession() = default;
  ~PamSession();
  PamSession(const PamSession&) = delete;
  PamSession& operator=(const PamSession&) = delete;

  // Each step returns PAM's code; a failure's text is error(code).
  int start(const std::string& service, const std::string& user);
  int setItem(int item, const std::string& value);
  int putEnv(const std::string& assignment);
  int accountStep();              // pam_acct_mgmt
  int establishCredentials();     // pam_setcred(PAM_ESTABLISH_CRED)
  int reinitialiseCredentials();  // pam_setcred(PAM_REINITIALIZE_CRED), after initgroups
  int openSession();              // pam_open_session
  // PAM's environment (pam_getenvlist) once the session is open.
  std::vector<std::string> environment() const;

  // pam_strerror's text for `code`, then the modules' messages.
  std::string error(int code) const;

 private:
  static int converse(int count, const struct pam_message** messages, struct pam_response** replies,
                      void* self);

  pam_handle_t* handle_ = nullptr;
  struct pam_conv conversation_ = {&PamSession::converse, this};
  std::vector<std::string> messages_;
  int last_ = PAM_SUCCESS;
  bool credentials_ = false;
  bool open_ = false;
};

}  // namespace bbcheck::session
