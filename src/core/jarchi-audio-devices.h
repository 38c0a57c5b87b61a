/* Jarchi: which audio elements a call uses when neither Preferences nor the environment chose one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *jarchi_audio_devices_default_description (gboolean input);

G_END_DECLS
