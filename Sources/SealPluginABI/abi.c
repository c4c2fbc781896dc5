/*
 * SwiftPM needs one source file per C target. This one pins the layout of the
 * FROZEN structs of seal_plugin.h at compile time, so an accidental edit that
 * would break ABI 1.x fails the build instead of old plugins.
 */
#include "seal_plugin.h"

#if defined(__LP64__)
_Static_assert(sizeof(seal_value) == 32, "seal_value is frozen for ABI 1.x");
_Static_assert(offsetof(seal_value, string) == 24, "seal_value is frozen for ABI 1.x");
_Static_assert(sizeof(seal_sink) == 16, "seal_sink is frozen for ABI 1.x");
_Static_assert(sizeof(seal_position_band) == 48, "seal_position_band is frozen for ABI 1.x");
_Static_assert(offsetof(seal_plugin_descriptor, name) == 16, "descriptor prefix is fixed for ABI 1.x");
#endif
