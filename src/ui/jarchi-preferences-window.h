/* JarchiPreferencesWindow: Preferences — SIP accounts, audio devices, the web dashboard and running in the background. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_PREFERENCES_WINDOW (jarchi_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (JarchiPreferencesWindow, jarchi_preferences_window, JARCHI, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

JarchiPreferencesWindow *jarchi_preferences_window_new (GtkWindow     *parent,
                                                        JarchiService *service,
                                                        GSettings     *settings);

/* Hands the microphone and speaker saved in @settings (by name) to the media sessions; a
 * device that is not plugged in leaves the system default. */
void jarchi_preferences_window_apply_audio_devices (GSettings *settings);

G_END_DECLS
