#include "probes/environment/clock.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bbcheck
