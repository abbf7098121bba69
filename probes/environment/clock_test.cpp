#include "probes/environment/clock.h"

#include <gtest/gtest.h>

#include "probes/isolation.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

// The kernel's clock state is global: a test may not change it on a shared
// machine. The probe is checked against an independent reading instead:
// Python calling adjtimex(2) through ctypes (struct timex: modes, then
// offset, freq, maxerror, esterror as longs, then status as an int).
TEST(ClockProbe, AgreesWithAnIndependentReading) {
  testing::CommandResult py = testing::runCommand(
      "python3", {"-c",
                  "import ctypes\n"
                  "buf = ctypes.create_string_buffer(512)\n"
                  "state = ctypes.CDLL(None, use_errno=True).adjtimex(buf)\n"
                  "status = int.from_bytes(buf.raw[40:44], 'little', signed=True)\n"
                  "print('unsync' if state == 5 or status & 0x40 else 'sync')\n"});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  Outcome o = clockProbe().run(Params{}, ProbeContext{});
  if (py.out == "unsync\n") {
    EXPECT_EQ(o.status, Status::Fail) << o.message;
    EXPECT_NE(o.message.find("not synchronised"), std::string::npos) << o.message;
  } else {
    EXPECT_EQ(o.status, Status::Pass) << o.message;
  }
  EXPECT_EQ(o.observed["synchronised"].convert<bool>(), py.out == "sync\n");
}

// In a container the fix is the host's clock; elsewhere an NTP client here.
TEST(ClockProbe, FixFollowsWhereBbcheckRuns) {
  Isolation container;
  container.kind = container.technology = container.container = "docker";
  std::string fix = clockFix(container);
  EXPECT_NE(fix.find("Synchronise the host's clock"), std::string::npos) << fix;
  EXPECT_EQ(fix.find("timedatectl set-ntp true"), std::string::npos) << fix;
  Isolation vm;
  vm.kind = "vm";
  vm.technology = vm.vm = "kvm";
  fix = clockFix(vm);
  EXPECT_NE(fix.find("timedatectl set-ntp true"), std::string::npos) << fix;
  EXPECT_EQ(fix.find("host's clock"), std::string::npos) << fix;
}

// The probe's own fix, when it fails here, is the one for this machine.
TEST(ClockProbe, AFailureHereCarriesThisMachinesFix) {
  Outcome o = clockProbe().run(Params{},
                               ProbeContext{Milliseconds(3000), Clock::now() + Milliseconds(3000)});
  if (o.status != Status::Fail) GTEST_SKIP() << "the clock is synchronised here: " << o.message;
  EXPECT_EQ(o.fix, clockFix(detectIsolation(Clock::now() + Milliseconds(3000))));
}

}  // namespace
}  // namespace bbcheck
