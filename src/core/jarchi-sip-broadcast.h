/* Campaign calls in the SIP engine's thread: the commands the main thread sends and the shared message they play. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "jarchi-sip-engine.h"

G_BEGIN_DECLS

/*
 * A broadcast call is an outgoing INVITE offering PCMU, PCMA and telephone-event/8000 (101),
 * with one libre RTP socket (RTP + RTCP) in the SIP thread.  Once answered it sends the
 * message's pre-encoded 20 ms frames, paced by one timer for every call, then G.711 silence
 * until it ends.  Digits come in by RFC 4733, in-band tones and SIP INFO.  No GStreamer.
 *
 * Events arrive as the engine's ::broadcast-event signal on the engine's main context:
 *   (guint call_id, guint JarchiSipBroadcastEvent, guint sip_code, gchar digit, guint detail)
 */
typedef enum {
  JARCHI_SIP_BROADCAST_ANSWERED,   /* sip_code 200; the message starts with the next tick */
  JARCHI_SIP_BROADCAST_PLAYED,     /* the message's last frame was sent */
  JARCHI_SIP_BROADCAST_DTMF,       /* digit; detail: JarchiDtmfMethod */
  JARCHI_SIP_BROADCAST_ENDED,      /* sip_code (0: none); detail: JarchiSipBroadcastEnd flags */
} JarchiSipBroadcastEvent;

typedef enum {
  JARCHI_SIP_BROADCAST_END_ANSWERED = 1 << 0,  /* it had been answered */
  JARCHI_SIP_BROADCAST_END_LOCAL    = 1 << 1,  /* we ended it (hangup command) */
  JARCHI_SIP_BROADCAST_END_TIMEOUT  = 1 << 2,  /* the ring timeout ran out */
  JARCHI_SIP_BROADCAST_END_MEDIA    = 1 << 3,  /* the answer had neither PCMU nor PCMA */
  JARCHI_SIP_BROADCAST_END_NETWORK  = 1 << 4,  /* no SIP answer at all, or a transport error */
} JarchiSipBroadcastEnd;

/* The message as G.711 µ-law and A-law frames (JARCHI_AUDIO_FRAME_SAMPLES bytes each, the
 * same count in both).  Immutable and atomically refcounted: one copy serves every call. */
typedef struct _JarchiSipBroadcastMessage JarchiSipBroadcastMessage;

JarchiSipBroadcastMessage *jarchi_sip_broadcast_message_new    (GBytes   *ulaw,
                                                                GBytes   *alaw,
                                                                GError  **error);
JarchiSipBroadcastMessage *jarchi_sip_broadcast_message_ref    (JarchiSipBroadcastMessage *message);
void                       jarchi_sip_broadcast_message_unref  (JarchiSipBroadcastMessage *message);
guint                      jarchi_sip_broadcast_message_get_n_frames (JarchiSipBroadcastMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiSipBroadcastMessage, jarchi_sip_broadcast_message_unref)

/* Main thread.  CALL_ID from jarchi_sip_engine_new_call_id(); ACCOUNT_ID 0: no account
 * (straight to URI), else an account registered with the engine (its route and credentials).
 * RING_TIMEOUT_S 0: no limit.  Exactly one ENDED event follows a successful return. */
gboolean jarchi_sip_broadcast_dial   (JarchiSipEngine            *engine,
                                      guint                       call_id,
                                      guint                       account_id,
                                      const char                 *uri,
                                      guint                       ring_timeout_s,
                                      JarchiSipBroadcastMessage  *message,
                                      GError                    **error);
/* Starts the message again from its first frame (ignored unless the call is answered). */
gboolean jarchi_sip_broadcast_replay (JarchiSipEngine            *engine,
                                      guint                       call_id,
                                      GError                    **error);
/* CANCEL while it rings, BYE once answered. */
gboolean jarchi_sip_broadcast_hangup (JarchiSipEngine            *engine,
                                      guint                       call_id,
                                      GError                    **error);

G_END_DECLS
