// How an Isolation's kind and technology follow from the layers found; shared
// by the virtualization probe and the Linux detection that fills the layers.
#pragma once

#include "probes/system/virtualization.h"

namespace bbcheck {

// Sets kind and technology: the container's, else the VM's, else "chroot",
// else leaves "none".
void classifyIsolation(Isolation& result);

}  // namespace bbcheck
