// Test helper: runs bbcheck's boot check in a private PID and mount
// namespace (unshare --pid --fork --mount-proc --mount) built to order:
// PID 1 is a shell under the name the test gives it ("systemd", "init",
// "sh"), as /proc/1/stat shows it; /run, the crontab spool, /etc/crontab,
// /etc/cron.d, /etc/systemd/system and /etc/rc[2-5].d are private copies
// holding only what the test puts there; and, if asked, a real cron daemon
// runs. Nothing outside the namespace changes. Header-only, like in_child.h.
#pragma once

#include <Poco/JSON/Parser.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "probes/probe.h"
#include "tests/in_child.h"
#include "tests/test_support.h"

namespace bbcheck::testing {

struct CronNamespace {
  bool cron_running = false;  // start Debian's cron in there
  std::string init = "sh";    // PID 1's name: /bin/sh, started under that name
  std::string cron_d_file;    // copied into the private /etc/cron.d
  // The user's crontab in the private spool; empty: a copy of the real one.
  std::string crontab;
  // Symbolic links made under the private /etc trees: {path below /etc, target}.
  std::vector<std::pair<std::string, std::string>> etc_links;
  // /usr/sbin/cron covered by an empty, non-executable file in there: the
  // cron package removed but not purged (its init script would exit at once).
  bool cron_daemon_removed = false;
};

inline Outcome bootInCronNamespace(const CronNamespace& ns, const std::string& user,
                                   const std::string& area) {
  TempDir dir;
  dir.write("profile.yaml", fmt::format("format: 1\nname: boot-test\ndescription: boot\n"
                                        "checks:\n  - id: boot.entry\n    probe: boot\n"
                                        "    with: {{ path: \"{}\", user: \"{}\" }}\n",
                                        area, user));
  if (!ns.crontab.empty()) dir.write("user.crontab", ns.crontab);
  // The private /etc trees are tmpfs mounts over directories that exist;
  // a link elsewhere would land in the real /etc, so the script refuses it.
  std::string script = dir.write("run.sh", R"SH(set -e
d=$1 user=$2 cron=$3 crond=$4 bbcheck=$5 removed=$6
shift 6
mount -t tmpfs bbcheck-run /run
mkdir -p "$d/spool" "$d/cron.d"
: > "$d/crontab"
chown root:crontab "$d/spool"
chmod 1730 "$d/spool"
if [ -f "$d/user.crontab" ]; then
  install -o "$user" -g crontab -m 600 "$d/user.crontab" "$d/spool/$user"
elif [ -f "/var/spool/cron/crontabs/$user" ]; then
  cp -p "/var/spool/cron/crontabs/$user" "$d/spool/"
fi
[ -n "$crond" ] && cp -p "$crond" "$d/cron.d/"
mount --bind "$d/spool" /var/spool/cron/crontabs
mount --bind "$d/cron.d" /etc/cron.d
mount --bind "$d/crontab" /etc/crontab
for tree in /etc/systemd/system /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d; do
  [ -d "$tree" ] && mount -t tmpfs bbcheck-etc "$tree"
done
while [ $# -ge 2 ]; do
  case "$1" in
    systemd/system/*|rc[2-5].d/*) ;;
    *) echo "not a private tree: /etc/$1" >&2; exit 1 ;;
  esac
  mkdir -p "$(dirname "/etc/$1")"
  ln -s "$2" "/etc/$1"
  shift 2
done
[ "$cron" = yes ] && /usr/sbin/cron
if [ "$removed" = yes ]; then
  : > "$d/no-cron"
  chmod 644 "$d/no-cron"
  mount --bind "$d/no-cron" /usr/sbin/cron
fi
"$bbcheck" run -p "$d/profile.yaml" --format json --no-color > "$d/out.json" || true
)SH");
  // PID 1 is the shell running the script, under the name `init`.
  std::string pid1 = "sh";
  if (ns.init != "sh") {
    pid1 = dir.path() + "/" + ns.init;
    std::filesystem::create_symlink("/bin/sh", pid1);
  }
  std::vector<std::string> args = {"--pid",
                                   "--fork",
                                   "--mount-proc",
                                   "--mount",
                                   "--propagation",
                                   "private",
                                   pid1,
                                   script,
                                   dir.path(),
                                   user,
                                   ns.cron_running ? "yes" : "no",
                                   ns.cron_d_file,
                                   bbcheckBinary(),
                                   ns.cron_daemon_removed ? "yes" : "no"};
  for (const auto& [path, target] : ns.etc_links) {
    args.push_back(path);
    args.push_back(target);
  }
  CommandResult r = runCommand("unshare", args, 60);
  std::ifstream in(dir.path() + "/out.json");
  std::stringstream text;
  text << in.rdbuf();
  if (r.exit_code != 0 || text.str().empty()) {
    return Outcome::error("the namespace run failed: " + r.out + r.err);
  }
  auto report = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  auto check = report->getArray("checks")->getObject(0);
  Outcome o;
  o.status = statusFromName(check->getValue<std::string>("status"));
  o.message = check->getValue<std::string>("message");
  o.fix = check->optValue<std::string>("fix", "");  // the report's: fitted or the profile's
  return o;
}

}  // namespace bbcheck::testing
