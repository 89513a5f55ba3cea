// SPDX-License-Identifier: GPL-2.0-only
/* A deliberate layer violation for tools/check-layers to find. */
#include "root/root.h"
