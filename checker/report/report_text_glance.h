// The text report at a glance, as `flutter doctor` and kubeadm's preflight
// show theirs: the verdict and counts first; one line per group where
// everything passed, with what was found; the checks that wait for the
// worker stage and the re-runs in the worker's environment that agree, one
// line each; info notes marked info, never failures; then each problem once
// (FAIL or ERROR when it counts for the verdict, else WARN), most severe
// first, with its fix and the checks it kept from running.
// Wrapped to the terminal's width. -v gives the full listing instead
// (report_text.h).
#pragma once

#include <string>

#include "checker/report/report_text.h"

namespace bbcheck {

// `report` must have passed the SafeReport boundary (renderText does that).
std::string renderGlance(const RunReport& report, const TextStyle& style);

}  // namespace bbcheck
