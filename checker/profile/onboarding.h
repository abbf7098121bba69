// A farm's "new worker" request form, as a profile's `onboarding:` section
// names it, so that `bbcheck request` can prefill it for any farm:
//
//   onboarding:
//     form: https://github.com/python/buildmaster-config/issues/new
//     template: new_worker.yml
//     title: "New worker request: {worker}"
//     fields:                     # bbcheck's answer: the form's field id and label
//       architecture: { id: worker-arch, label: Processor architecture }
//     password: { id: owner-password, label: Password status, advice: ... }
//     tests_affected_by: [tag:ports, headers.]   # failures that change which tests run
//     outbound: [tag:ports]                       # checks of outbound network access
//     exclude_when_offline: [urlfetch, network]   # test resources then excluded
//     entry: { file: master/custom/workers.py, call: cpw }
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bbcheck {

struct FormField {
  std::string id;     // the query key that prefills it
  std::string label;  // as the form shows it
};

struct Onboarding {
  std::string form;  // where a new request is opened
  std::string template_name;
  std::string title;  // "{worker}" stands for the worker's name
  // Keyed by the answers bbcheck gives (onboardingAnswerNames()).
  std::map<std::string, FormField> fields;
  FormField password;  // a dropdown: forms cannot prefill it
  std::string password_advice;
  std::vector<std::string> tests_affected_by;  // check selectors
  std::vector<std::string> outbound;           // check selectors
  std::vector<std::string> exclude_when_offline;
  std::string entry_file;  // where the admins add the worker
  std::string entry_call;  // the Python call that declares it there, e.g. cpw
};

// owner_username, owner_github, owner_name, owner_email, architecture,
// operating_system, special: the answers bbcheck can fill in.
const std::vector<std::string>& onboardingAnswerNames();

}  // namespace bbcheck
