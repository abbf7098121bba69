// The TLS handshake and certificate reading behind the `tls` probe: OpenSSL
// over a connected socket under a deadline, verify errors logged and classified.
#include "probes/network/tls_handshake.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>

#include "probes/elapsed.h"
#include "probes/net_errors.h"
#include "probes/network/tcp_connect.h"

namespace bbcheck {
namespace {

// Verify errors seen during the handshake: the callback records each one and
// lets verification continue, so that every problem is reported, not only
// the first.
struct VerifyLog {
  std::vector<int> codes;
};

int recordVerifyError(int ok, X509_STORE_CTX* store) {
  if (ok) return 1;
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* log = static_cast<VerifyLog*>(SSL_get_app_data(ssl));
  int code = X509_STORE_CTX_get_error(store);
  if (std::find(log->codes.begin(), log->codes.end(), code) == log->codes.end())
    log->codes.push_back(code);
  return 1;
}

NetCause classifyVerifyError(int code) {
  switch (code) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return NetCause::TlsUntrusted;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return NetCause::TlsExpired;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return NetCause::TlsNameMismatch;
    default:
      return NetCause::TlsVerify;
  }
}

// The cause named first when there are several: trust, then dates, then
// the name, then anything else.
int verifyRank(NetCause cause) {
  switch (cause) {
    case NetCause::TlsUntrusted:
      return 0;
    case NetCause::TlsExpired:
      return 1;
    case NetCause::TlsNameMismatch:
      return 2;
    default:
      return 3;
  }
}

// The record layer saw bytes that are not TLS: another protocol answered.
bool isWrongProtocol(unsigned long error) {
  int reason = ERR_GET_REASON(error);
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
         reason == SSL_R_UNKNOWN_PROTOCOL || reason == SSL_R_RECORD_LENGTH_MISMATCH ||
         reason == SSL_R_HTTP_REQUEST || reason == SSL_R_HTTPS_PROXY_REQUEST;
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

std::string nameText(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return bioText(bio.get());
}

std::string timeText(const ASN1_TIME* time) {
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::vector<std::string> altNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const unsigned char* text = ASN1_STRING_get0_data(name->d.dNSName);
      out.emplace_back(reinterpret_cast<const char*>(text), ASN1_STRING_length(name->d.dNSName));
    } else if (name->type == GEN_IPADD) {
      int length = ASN1_STRING_length(name->d.iPAddress);
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(length == 16 ? AF_INET6 : AF_INET, ASN1_STRING_get0_data(name->d.iPAddress), text,
                sizeof text);
      out.push_back(text);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

void readCertificate(SSL* ssl, TlsResult& result) {
  result.protocol = SSL_get_version(ssl);
  result.cipher = SSL_get_cipher_name(ssl);
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return;
  result.subject = nameText(X509_get_subject_name(cert));
  result.issuer = nameText(X509_get_issuer_name(cert));
  result.names = altNames(cert);
  result.not_before = timeText(X509_get0_notBefore(cert));
  result.not_after = timeText(X509_get0_notAfter(cert));
  int days = 0, seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)) == 1)
    result.days_left = days;  // whole days, toward zero
  X509_free(cert);
}

bool isIpAddress(const std::string& name) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// Keeps the first bytes the server sent, to show what answered when it was
// not TLS ("SSH-2.0-OpenSSH_9.2", "HTTP/1.1 400 Bad Request").
long recordFirstBytes(BIO* bio, int operation, const char* data, size_t, int, long, int ret,
                      size_t* processed) {
  if (operation == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed != nullptr) {
    auto* seen = reinterpret_cast<std::string*>(BIO_get_callback_arg(bio));
    if (seen->size() < 64) seen->append(data, std::min(*processed, 64 - seen->size()));
  }
  return ret;
}

// The first line of `bytes` when it is text, else "".
std::string printableStart(const std::string& bytes) {
  std::string line = bytes.substr(0, bytes.find_first_of("\r\n"));
  for (char c : line)
    if (c < 0x20 || c > 0x7e) return "";
  return line;
}

// Runs SSL_connect on a non-blocking socket until it ends or the deadline.
void handshake(SSL* ssl, int fd, Clock::time_point deadline, TlsResult& result) {
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int rc = SSL_connect(ssl);
    if (rc == 1) {
      result.handshake_ok = true;
      return;
    }
    int error = SSL_get_error(ssl, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
      pollfd pfd{fd, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
      if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) == 0) {
        result.cause = NetCause::TimedOut;
        result.detail = "the port accepted TCP but the TLS handshake did not finish";
        return;
      }
      continue;
    }
    unsigned long queued = ERR_peek_error();
    if (error == SSL_ERROR_SSL && queued != 0) {
      char text[256];
      ERR_error_string_n(queued, text, sizeof text);
      const char* reason = ERR_reason_error_string(queued);
      result.cause = isWrongProtocol(queued) ? NetCause::WrongProtocol : NetCause::TlsHandshake;
      result.detail = reason ? reason : text;
    } else if (errno != 0) {
      result.cause =
          classifyErrno(errno) == NetCause::Other ? NetCause::TlsHandshake : classifyErrno(errno);
      result.detail = errnoText(errno);
    } else {
      result.cause = NetCause::TlsHandshake;
      result.detail = "the server closed the connection during the handshake";
    }
    return;
  }
}

void judgeVerification(const VerifyLog& log, TlsResult& result) {
  NetCause worst = NetCause::None;
  for (int code : log.codes) {
    result.verify_errors.push_back(X509_verify_cert_error_string(code));
    NetCause cause = classifyVerifyError(code);
    if (worst == NetCause::None || verifyRank(cause) < verifyRank(worst)) worst = cause;
  }
  result.cause = worst;
  result.detail = fmt::format("{}", fmt::join(result.verify_errors, "; "));
}

}  // namespace

namespace {

using SslContext = std::shared_ptr<SSL_CTX>;

// A client context trusting `ca_file` or the system store; "" or the problem.
SslContext makeContext(const TlsOptions& options, std::string& problem) {
  SslContext ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  bool trusted = options.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx.get()) == 1
                                         : SSL_CTX_load_verify_locations(
                                               ctx.get(), options.ca_file.c_str(), nullptr) == 1;
  if (!trusted)
    problem = fmt::format("cannot load CA certificates from {}",
                          options.ca_file.empty() ? "the system store" : options.ca_file);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, recordVerifyError);
  return ctx;
}

// Loading a trust store costs real time (hundreds of ms on a busy host),
// all of it before the handshake's deadline-bound loop: so each store is
// loaded once per run and its context shared (an SSL_CTX is safe to share
// once set up). A store that failed to load is not kept.
SslContext sharedContext(const TlsOptions& options, std::string& problem) {
  static std::mutex mutex;
  static std::map<std::string, SslContext> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(options.ca_file);
  if (it != loaded.end()) return it->second;
  SslContext ctx = makeContext(options, problem);
  if (problem.empty()) loaded[options.ca_file] = ctx;
  return ctx;
}

}  // namespace

void tlsOverConnected(TlsResult& result, const TlsOptions& options, Clock::time_point deadline) {
  auto start = Clock::now();
  if (result.name.empty())
    result.name = options.server_name.empty() ? result.tcp.host : options.server_name;
  SslContext ctx = sharedContext(options, result.setup_error);
  if (!result.setup_error.empty()) {
    result.cause = NetCause::Other;
    result.detail = result.setup_error;
    return;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  VerifyLog log;
  SSL_set_app_data(ssl.get(), &log);
  if (isIpAddress(result.name)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), result.name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl.get(), result.name.c_str());
    SSL_set1_host(ssl.get(), result.name.c_str());
  }
  int fd = result.tcp.socket.impl()->sockfd();
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  SSL_set_fd(ssl.get(), fd);
  std::string firstBytes;
  BIO_set_callback_ex(SSL_get_rbio(ssl.get()), recordFirstBytes);
  BIO_set_callback_arg(SSL_get_rbio(ssl.get()), reinterpret_cast<char*>(&firstBytes));
  handshake(ssl.get(), fd, deadline, result);
  if (result.cause == NetCause::WrongProtocol) {
    // OpenSSL stopped after a 5-byte record header; the rest of what the
    // server sent is usually still waiting in the socket.
    char more[64];
    ssize_t n = ::recv(fd, more, sizeof more - firstBytes.size(), MSG_DONTWAIT);
    if (n > 0) firstBytes.append(more, static_cast<size_t>(n));
    result.server_said = printableStart(firstBytes);
  }
  if (result.handshake_ok) {
    readCertificate(ssl.get(), result);
    judgeVerification(log, result);
    SSL_shutdown(ssl.get());  // best effort close_notify; non-blocking
  }
  result.ms += msSince(start);
}

TlsResult checkTls(const std::string& host, int port, const TlsOptions& options,
                   Clock::time_point deadline) {
  TlsResult result;
  result.name = options.server_name.empty() ? host : options.server_name;
  result.tcp.host = host;
  result.tcp.port = port;
  sharedContext(options, result.setup_error);  // a bad ca_file is found before connecting
  if (!result.setup_error.empty()) {
    result.cause = NetCause::Other;
    result.detail = result.setup_error;
    return result;
  }
  result.tcp = connectWithDeadline(host, port, deadline);
  result.ms = result.tcp.ms;
  if (!result.tcp.ok) {
    result.cause = result.tcp.cause;
    result.detail = result.tcp.detail;
    return result;
  }
  tlsOverConnected(result, options, deadline);
  return result;
}

}  // namespace bbcheck
