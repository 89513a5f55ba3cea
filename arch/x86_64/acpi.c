// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder: being written. */
