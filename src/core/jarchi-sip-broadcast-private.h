/* Internals of the SIP engine's campaign calls, shared by jarchi-sip-broadcast.c (sessions) and jarchi-sip-broadcast-media.c (RTP). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pthread.h>

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

/* Where and how a call's RTP goes. */
typedef struct {
  JarchiG711Law              law;
  const guint8              *frames;    /* the message in the negotiated law */
  int                        fd;        /* the RTP socket's IPv4/IPv6 descriptor; -1: none */
  struct sa                  raddr;
  int                        pt;
  uint32_t                   ssrc;
  gboolean                   held;
} JarchiSipBcPeer;

/* Everything in a JarchiSipBcCall is the libre thread's. A sending call's state in the sender thread (jarchi-sip-broadcast-media.c). */
typedef struct _JarchiSipBcStream JarchiSipBcStream;

typedef struct {
  JarchiSipBroadcast        *bc;
  guint                      id;
  struct sipsess            *sess;
  struct sdp_session        *sdp;       /* NULL once answered, but during a re-INVITE */
  struct sdp_media          *sdpm;
  struct rtp_sock           *rtp;
  struct telev              *telev;     /* made at the first telephone-event packet */
  JarchiDtmfDetector        *dtmf;      /* made when the first audio arrives */
  uint64_t                   ring_deadline;  /* tmr_jiffies (); 0: none */
  void                      *creds;
  JarchiSipBroadcastMessage *message;
  int                        event_pt;  /* -1: the peer has no telephone-event */
  /* The peer (from the last answer or re-INVITE) in the libre thread; the sender gets a copy. */
  JarchiSipBcPeer            peer;
  JarchiSipBcStream         *stream;    /* while sending: handed to the sender thread */
  uint32_t                   ts;        /* the first RTP timestamp and sequence number */
  uint16_t                   seq;
  uint32_t                   event_ts;  /* RTP timestamp of the last RFC 4733 event reported */
  uint64_t                   samples_in;
  uint64_t                   inband_at;
  uint64_t                   digit_at_ms;
  char                       inband_digit;
  char                       last_digit;
  JarchiDtmfMethod           last_method;
  gboolean                   got_response;
  gboolean                   answered;
  gboolean                   media_failed;
  gboolean                   ended;
  gboolean                   rfc4733_seen;
  gboolean                   have_event_ts;
} JarchiSipBcCall;

struct _JarchiSipBroadcast {
  JarchiSipStack *stack;
  GHashTable     *calls;     /* id -> JarchiSipBcCall, until it ends */
  GPtrArray      *dead;      /* ended, freed by the reaper outside libre's handlers */
  struct tmr      reap_tmr;
  /* One timer for every ring timeout, a timerfd rather than a libre timer: libre keeps its
   * timers in one sorted list that every tmr_start () walks (past every SIP transaction's
   * 32 s timer: a quarter of campaign-bench's CPU in a profile at 100 calls a second), so a
   * timer per call, or even one restarted every 250 ms, adds to that walk. */
  int             ring_fd;
  guint           n_ringing;
  /* Campaign RTP leaves from one sender thread of its own (jarchi-sip-broadcast-media.c),
   * not from the libre thread, where every tick waited behind SIP work. */
  pthread_mutex_t lock;      /* the hand-off below, the streams' pending changes, quit */
  pthread_cond_t  wake;      /* the sender idles on it while no call sends */
  GThread        *sender;
  gboolean        quit;
  GPtrArray      *added;     /* streams the sender is to start, stop, update */
  GPtrArray      *removed;
  GPtrArray      *changed;
  GPtrArray      *active;    /* the sender's alone: in the order they started, each keeps its place */
  guint8          silence[2][JARCHI_SIP_BC_FRAME_BYTES];
  /* RTP in while a call sends: the sender reads its socket now and then (libre no longer
   * polls it) and hands the packets to the libre thread in batches. */
  GPtrArray      *inbox;     /* under lock: GByteArrays of JarchiSipBcPacket + packet */
  int             inbox_fd;  /* eventfd: wakes the libre thread for the inbox */
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
/* The peer's law, payload type, address and hold state, from an answer or a re-INVITE. */
void     jarchi_sip_bc_set_peer      (JarchiSipBcCall    *call,
                                      JarchiG711Law       law,
                                      int                 pt,
                                      const struct sa    *raddr,
                                      gboolean            held);
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
