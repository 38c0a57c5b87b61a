/* Jarchi: the microphone and speaker elements of a call: environment, Preferences, else what the machine has. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

const char *jarchi_audio_devices_default_description (gboolean input);
void        jarchi_audio_devices_set_chosen          (GstDevice *input,
                                                      GstDevice *output);
GstElement *jarchi_audio_devices_make                (gboolean   input,
                                                      GError   **error);

G_END_DECLS
