/* JarchiCallManagerDialer: campaign calls through the softphone's JarchiCallManager — one media session per call playing the message file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-history.h"
#include "jarchi-call-manager.h"
#include "jarchi-campaign-dialer.h"
#include "jarchi-media-library.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CALL_MANAGER_DIALER (jarchi_call_manager_dialer_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallManagerDialer, jarchi_call_manager_dialer, JARCHI, CALL_MANAGER_DIALER, GObject)

/* Good for tens of calls at once (a GStreamer pipeline each); the lean RTP dialer is meant
 * for thousands. Messages are the media library's normalised WAV files. @history (may be
 * NULL): the manager's history writer, told to leave campaign calls alone — each attempt
 * keeps its own row in table calls. */
JarchiCallManagerDialer *jarchi_call_manager_dialer_new (JarchiCallManager  *manager,
                                                         JarchiMediaLibrary *library,
                                                         JarchiCallHistory  *history);

G_END_DECLS
