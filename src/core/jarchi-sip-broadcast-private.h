/* Internals of the SIP engine's campaign calls, shared by jarchi-sip-broadcast.c (sessions) and jarchi-sip-broadcast-media.c (RTP). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-audio-decoder.h"
#include "jarchi-dtmf-detector.h"
#include "jarchi-media-session.h"
#include "jarchi-sip-broadcast.h"
#include "jarchi-sip-engine-private.h"

G_BEGIN_DECLS

/* G.711 carries one byte per sample: a 20 ms frame is 160 bytes and 160 timestamp units. */
#define JARCHI_SIP_BC_FRAME_BYTES JARCHI_AUDIO_FRAME_SAMPLES
#define JARCHI_SIP_BC_FRAME_MS    JARCHI_AUDIO_FRAME_MS

struct _JarchiSipBroadcastMessage {
  GBytes *law[2];   /* indexed by JarchiG711Law */
  guint   n_frames;
};

typedef struct {
  JarchiSipBroadcast        *bc;
  guint                      id;
  struct sipsess            *sess;
  struct sdp_session        *sdp;       /* NULL once answered, but during a re-INVITE */
  struct sdp_media          *sdpm;
  struct rtp_sock           *rtp;
  int                        fd;        /* rtp's IPv4/IPv6 descriptor: packets go out by sendmsg () */
  struct telev              *telev;     /* made at the first telephone-event packet */
  JarchiDtmfDetector        *dtmf;      /* made when the first audio arrives */
  uint64_t                   ring_deadline;  /* tmr_jiffies (); 0: none */
  void                      *creds;
  JarchiSipBroadcastMessage *message;
  const guint8              *frames;    /* the message in the negotiated law */
  JarchiG711Law              law;
  struct sa                  raddr;
  int                        pt;
  int                        event_pt;  /* -1: the peer has no telephone-event */
  int                        pos;       /* next message frame; -1: silence */
  uint32_t                   ts;
  uint16_t                   seq;
  /* Version, payload type and SSRC stay; marker, sequence number and timestamp are written
   * in place for every packet, which leaves as this header and the shared payload. */
  guint8                     hdr[RTP_HEADER_SIZE];
  uint32_t                   event_ts;  /* RTP timestamp of the last RFC 4733 event reported */
  uint64_t                   samples_in;
  uint64_t                   inband_at;
  uint64_t                   digit_at_ms;
  char                       inband_digit;
  char                       last_digit;
  JarchiDtmfMethod           last_method;
  gboolean                   marker;
  gboolean                   sending;   /* in bc->sending */
  gboolean                   got_response;
  gboolean                   answered;
  gboolean                   media_failed;
  gboolean                   held;
  gboolean                   ended;
  gboolean                   rfc4733_seen;
  gboolean                   have_event_ts;
} JarchiSipBcCall;

struct _JarchiSipBroadcast {
  JarchiSipStack *stack;
  GHashTable     *calls;     /* id -> JarchiSipBcCall, until it ends */
  GPtrArray      *sending;   /* JarchiSipBcCall, in the order they started: each keeps its place */
  GPtrArray      *dead;      /* ended, freed by the reaper outside libre's handlers */
  struct tmr      reap_tmr;
  /* One timer for every ring timeout, a timerfd rather than a libre timer: libre keeps its
   * timers in one sorted list that every tmr_start () walks (past every SIP transaction's
   * 32 s timer: a quarter of campaign-bench's CPU in a profile at 100 calls a second), so a
   * timer per call, or even one restarted every 250 ms, adds to that walk. */
  int             ring_fd;
  guint           n_ringing;
  int             tfd;       /* timerfd: the 20 ms tick of every call */
  gboolean        ticking;
  guint8          silence[2][JARCHI_SIP_BC_FRAME_BYTES];
};

/* jarchi-sip-broadcast.c */
void     jarchi_sip_bc_emit          (JarchiSipBcCall         *call,
                                      JarchiSipBroadcastEvent  kind,
                                      guint                    code,
                                      char                     digit,
                                      guint                    detail);

/* jarchi-sip-broadcast-media.c */
gboolean jarchi_sip_bc_media_init    (JarchiSipBroadcast *bc);
void     jarchi_sip_bc_media_clear   (JarchiSipBroadcast *bc);
/* Plays the message from its first frame with the next tick (and silence after it). */
void     jarchi_sip_bc_start_sending (JarchiSipBcCall    *call);
/* After the payload type or the peer's address changed (an answer, a re-INVITE). */
void     jarchi_sip_bc_set_peer      (JarchiSipBcCall    *call);
void     jarchi_sip_bc_stop_sending  (JarchiSipBcCall    *call);
/* Reports a key once, whichever ways it arrived (after the answer only). */
void     jarchi_sip_bc_report_digit  (JarchiSipBcCall    *call,
                                      char                digit,
                                      JarchiDtmfMethod    method);
void     jarchi_sip_bc_rtp_handler   (const struct sa           *src,
                                      const struct rtp_header   *hdr,
                                      struct mbuf               *mb,
                                      void                      *arg);
void     jarchi_sip_bc_rtcp_handler  (const struct sa *src,
                                      struct rtcp_msg *msg,
                                      void            *arg);

G_END_DECLS
