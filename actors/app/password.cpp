#include "password.hpp"

#include <sodium/utils.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "cli_errc.hpp"

namespace synod::app {
namespace {

// Reads up to the end of the line; strips "\n" or "\r\n". False at end of file with nothing
// read.
bool read_line(std::FILE* in, std::string& out) {
  int c = 0;
  bool any = false;
  while ((c = std::getc(in)) != EOF) {
    any = true;
    if (c == '\n') break;
    out.push_back(static_cast<char>(c));
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return any;
}

result<secret_string> from_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr)
    return error(errc::unreadable_file, "cannot read password file " + path + ": " +
                                            std::generic_category().message(errno));
  secret_string pw{std::string()};
  read_line(f, pw.text);
  std::fclose(f);
  return pw;
}

// The terminal state to put back if a signal ends the program while echo is off; otherwise
// the user's shell would stay silent.
termios saved_terminal;

extern "C" void restore_terminal_and_reraise(int sig) {
  ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Turns terminal echo off for its lifetime, and back on even on SIGINT or SIGTERM.
class echo_off {
 public:
  echo_off() {
    if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0) return;
    active_ = true;
    old_int_ = std::signal(SIGINT, restore_terminal_and_reraise);
    old_term_ = std::signal(SIGTERM, restore_terminal_and_reraise);
    termios quiet = saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;
  ~echo_off() {
    if (!active_) return;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
  }

 private:
  bool active_ = false;
  void (*old_int_)(int) = SIG_DFL;
  void (*old_term_)(int) = SIG_DFL;
};

result<secret_string> prompt(const std::string& question) {
  std::fputs(question.c_str(), stderr);  // stderr, so --json output on stdout stays clean
  std::fflush(stderr);
  secret_string pw{std::string()};
  bool got = false;
  {
    echo_off quiet;
    got = read_line(stdin, pw.text);
  }
  std::fputs("\n", stderr);
  if (!got) return error(errc::no_password, "no password entered (end of input)");
  return pw;
}

result<secret_string> prompt_twice(std::string_view wallet) {
  auto first = prompt("Password for new wallet '" + std::string(wallet) + "': ");
  if (!first) return first;
  auto again = prompt("Repeat the password: ");
  if (!again) return again;
  if (first->text != again->text)
    return error(errc::password_mismatch, "the two passwords differ; nothing was created");
  return first;
}

result<secret_string> from_any_source(const std::string& file, std::string_view wallet,
                                      password_use use) {
  if (!file.empty()) return from_file(file);
  if (const char* env = std::getenv(password_env)) return secret_string{std::string(env)};
  if (!::isatty(STDIN_FILENO))
    return error(errc::no_password,
                 "no password: stdin is not a terminal to ask on; pass --password-file FILE "
                 "or set " + std::string(password_env));
  if (use == password_use::create) return prompt_twice(wallet);
  return prompt("Password for wallet '" + std::string(wallet) + "': ");
}

}  // namespace

secret_string::~secret_string() { sodium_memzero(text.data(), text.size()); }

result<secret_string> read_password(const std::string& file, std::string_view wallet,
                                    password_use use) {
  auto pw = from_any_source(file, wallet, use);
  if (pw && use == password_use::create && pw->text.empty())
    return error(errc::empty_password,
                 "refusing to seal a coldkey under an empty password");
  return pw;
}

}  // namespace synod::app
