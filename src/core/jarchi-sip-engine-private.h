/* Internals shared by the SIP engine's libre-thread modules (registration, calls, SDP). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* libre's headers define their own bool and intN_t (and a smaller struct sa) unless told that
 * the C library has them; these match how Debian built libre. */
#ifndef HAVE_INTTYPES_H
#define HAVE_INTTYPES_H 1
#endif
#ifndef HAVE_STDBOOL_H
#define HAVE_STDBOOL_H 1
#endif
#ifndef HAVE_INET6
#define HAVE_INET6 1
#endif
#ifndef USE_OPENSSL
#define USE_OPENSSL 1
#endif
#include <re.h>

#include "jarchi-account.h"
#include "jarchi-call.h"
#include "jarchi-sip-engine.h"

G_BEGIN_DECLS

/* ---- plain data crossing threads ---------------------------------------------------------- */

typedef struct {
  guint           id;
  char           *aor;
  char           *display_name;
  char           *registrar;
  char           *auth_user;
  char           *password;
  char           *outbound_proxy;  /* route form: sip:host;lr[;transport=] */
  char           *call_route;      /* route of calls, NULL: straight to the URI */
  char           *contact_user;
  JarchiTransport transport;
  gboolean        tls_verify;
  guint           expires;
  guint           keepalive;
} JarchiSipAccountConfig;

void jarchi_sip_account_config_free (JarchiSipAccountConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiSipAccountConfig, jarchi_sip_account_config_free)

typedef enum {
  JARCHI_SIP_CMD_QUIT,
  JARCHI_SIP_CMD_REGISTER,
  JARCHI_SIP_CMD_UNREGISTER,
  JARCHI_SIP_CMD_DIAL,
  JARCHI_SIP_CMD_ANSWER,
  JARCHI_SIP_CMD_REJECT,
  JARCHI_SIP_CMD_HANGUP,
  JARCHI_SIP_CMD_HOLD,
  JARCHI_SIP_CMD_INFO_DTMF,
  JARCHI_SIP_CMD_REFER,
  JARCHI_SIP_CMD_NOTIFY_REFER,
  /* campaign calls, jarchi-sip-broadcast.c */
  JARCHI_SIP_CMD_BROADCAST_DIAL,
  JARCHI_SIP_CMD_BROADCAST_REPLAY,
  JARCHI_SIP_CMD_BROADCAST_HANGUP,
} JarchiSipCmdType;

/* A command owns its strings; the libre thread frees it after running it. */
typedef struct _JarchiSipCmd JarchiSipCmd;
struct _JarchiSipCmd {
  JarchiSipCmdType        type;
  guint                   id;
  guint                   other_id;
  guint                   code;
  guint                   timeout_s;
  guint16                 port;
  gboolean                flag;
  char                    digit;
  char                   *str;
  char                   *str2;
  JarchiSipAccountConfig *account;
  gpointer                data;       /* thread-safe payload, freed with data_free */
  GDestroyNotify          data_free;
};

JarchiSipCmd *jarchi_sip_cmd_new (JarchiSipCmdType type,
                                  guint            id);
void jarchi_sip_cmd_free (JarchiSipCmd *cmd);
/* Main thread: queues CMD for the libre thread (takes it, frees it on error). */
gboolean jarchi_sip_engine_push_command (JarchiSipEngine  *self,
                                         JarchiSipCmd     *cmd,
                                         GError          **error);

typedef enum {
  JARCHI_SIP_EV_REGISTRATION,
  JARCHI_SIP_EV_INCOMING,
  JARCHI_SIP_EV_PROGRESS,
  JARCHI_SIP_EV_MEDIA,
  JARCHI_SIP_EV_ENDED,
  JARCHI_SIP_EV_DTMF,
  JARCHI_SIP_EV_REFER,
  JARCHI_SIP_EV_TRANSFER,
  JARCHI_SIP_EV_BROADCAST,  /* state: JarchiSipBroadcastEvent, code, digit, other_id: detail */
} JarchiSipEventType;

/* An event owns its strings; the main thread frees it after emitting it. */
typedef struct {
  JarchiSipEventType type;
  guint              id;
  guint              other_id;
  guint              state;
  guint              code;
  guint              port;
  guint              pt;
  guint              clock_rate;
  guint              dtmf_pt;
  guint              direction;
  gboolean           flag;
  char               digit;
  char              *str;
  char              *str2;
  char              *str3;
} JarchiSipEvent;

JarchiSipEvent *jarchi_sip_event_new (JarchiSipEventType type,
                                      guint              id);

/* ---- libre-thread state --------------------------------------------------------------------- */

typedef struct _JarchiSipStack JarchiSipStack;
typedef struct _JarchiSipAccount JarchiSipAccount;
typedef struct _JarchiSipCall JarchiSipCall;
typedef struct _JarchiSipBroadcast JarchiSipBroadcast;

/* Shared by the engine and its thread (refcounted).  The fields up to mq are set before the
 * thread starts or under lock; everything after is the libre thread's alone. */
struct _JarchiSipStack {
  JarchiSipEngine      *engine;    /* posts events; not used once abandoned */
  char                 *bind_address;
  guint                 bind_port;
  GMutex                lock;
  GCond                 cond;
  gboolean              ready;
  gboolean              abandoned; /* the engine stopped waiting for the set-up */
  char                 *init_error;
  struct mqueue        *mq;        /* pushed to under lock; the thread frees it under lock */
  struct sip           *sip;
  struct sipsess_sock  *sess_sock;
  struct sipevent_sock *event_sock;
  struct sip_lsnr      *lsnr;
  struct dnsc          *dnsc;
  struct tls           *tls;
  gboolean              ca_loaded; /* the CA bundle is read on first need: it is slow */
  struct sa             laddr;      /* where UDP/TCP SIP listens */
  char                 *media_address;
  GHashTable           *accounts;  /* guint id -> JarchiSipAccount */
  GHashTable           *calls;     /* guint id -> JarchiSipCall */
  JarchiSipBroadcast   *broadcast; /* campaign calls; NULL until the first one */
  GHashTable           *challenges; /* account AOR -> JarchiSipChallenge, the last INVITE's */
  struct tmr            quit_tmr;
  gboolean              quitting;
  gboolean              sip_exited;
};

struct _JarchiSipAccount {
  JarchiSipStack         *stack;
  JarchiSipAccountConfig *cfg;
  struct sipreg          *reg;
  struct sip_request     *probe;
  struct tmr              retry_tmr;
  struct tmr              deadline_tmr;
  struct tmr              probe_tmr;
  guint                   failures;
  JarchiRegistrationState state;
  char                   *error;
  guint                   granted;
  char                   *route;
  char                   *cur_cuser;  /* contact user of the current REGISTER */
  void                   *creds;      /* libre object, see jarchi_sip_creds_new() */
};

JarchiSipStack   *jarchi_sip_stack_new           (JarchiSipEngine *engine,
                                                  const char      *address,
                                                  guint            port);
JarchiSipStack   *jarchi_sip_stack_ref           (JarchiSipStack *stack);
void              jarchi_sip_stack_unref         (JarchiSipStack *stack);
/* The libre thread's body; DATA is a stack reference it releases when done. */
gpointer          jarchi_sip_stack_thread        (gpointer data);
/* Thread-safe: queues EVENT for the engine's main context (or drops it once closed). */
void              jarchi_sip_engine_post_event   (JarchiSipEngine *engine,
                                                  JarchiSipEvent  *event);
void              jarchi_sip_stack_emit          (JarchiSipStack *stack,
                                                  JarchiSipEvent *event);
guint             jarchi_sip_stack_new_call_id   (JarchiSipStack *stack);
JarchiSipAccount *jarchi_sip_stack_find_account_for (JarchiSipStack       *stack,
                                                     const struct sip_msg *msg);
/* A libre object holding a copy of the credentials, for auth handlers (aref = true). */
void             *jarchi_sip_creds_new           (const char *user,
                                                  const char *password);
int               jarchi_sip_stack_auth_handler  (char      **username,
                                                  char      **password,
                                                  const char *realm,
                                                  void       *arg);

/* jarchi-sip-auth-cache.c */
typedef struct _JarchiSipChallenge JarchiSipChallenge;
void              jarchi_sip_challenge_free      (JarchiSipChallenge *chall);
/* A libre sip_trace_h (ARG = the stack): keeps the challenges to our accounts' INVITEs. */
void              jarchi_sip_challenge_trace_handler (bool             tx,
                                                      enum sip_transp  tp,
                                                      const struct sa *src,
                                                      const struct sa *dst,
                                                      const uint8_t   *pkt,
                                                      size_t           len,
                                                      void            *arg);
char             *jarchi_sip_challenge_credentials (JarchiSipStack   *stack,
                                                    JarchiSipAccount *acc,
                                                    const char       *method,
                                                    const char       *uri,
                                                    void             *creds);

/* jarchi-sip-reg.c */
JarchiSipAccount *jarchi_sip_account_new         (JarchiSipStack         *stack,
                                                  JarchiSipAccountConfig *cfg);
void              jarchi_sip_account_start       (JarchiSipAccount *acc);
/* Drops the binding (un-REGISTER goes out in the background) and frees ACC. */
void              jarchi_sip_account_free        (JarchiSipAccount *acc);

/* A libre object: NOTIFY requests in flight hold references to it. */
struct _JarchiSipCall {
  JarchiSipStack     *stack;
  guint               id;
  guint               account_id;
  gboolean            outgoing;
  struct sipsess     *sess;
  struct sdp_session *sdp;
  struct sdp_media   *sdpm;
  struct sipsub      *refer_sub;
  struct tmr          ring_tmr;
  struct tmr          free_tmr;
  void               *creds;
  char               *remote_uri;
  char               *cuser;
  char               *local_uri;
  char               *callid;
  char               *ltag;
  char               *rtag;
  gboolean            got_offer;
  gboolean            progressed;
  gboolean            early_media;
  gboolean            answered;
  gboolean            holding;
  gboolean            remote_hold;
  gboolean            refer_pending;
  gboolean            transferred;
  gboolean            ended;
};

/* jarchi-sip-session.c */
void              jarchi_sip_call_incoming       (JarchiSipStack       *stack,
                                                  const struct sip_msg *msg);
void              jarchi_sip_call_dial           (JarchiSipStack *stack,
                                                  JarchiSipCmd   *cmd);
void              jarchi_sip_call_command        (JarchiSipStack *stack,
                                                  JarchiSipCmd   *cmd);
/* Frees CALL without events; BYE/CANCEL leave in the background. */
void              jarchi_sip_call_free           (JarchiSipCall *call);
char             *jarchi_sip_dup_pl              (const struct pl *pl);
JarchiCallState   jarchi_sip_call_state          (JarchiSipCall   *call);
void              jarchi_sip_call_emit_progress  (JarchiSipCall   *call,
                                                  JarchiCallState  state,
                                                  guint            code);
/* Ends CALL from inside one of libre's handlers (the free waits for a zero timer). */
void              jarchi_sip_call_end_later      (JarchiSipCall   *call,
                                                  guint            code,
                                                  const char      *reason);

/* jarchi-sip-refer.c */
void              jarchi_sip_call_info_handler   (struct sip           *sip,
                                                  const struct sip_msg *msg,
                                                  void                 *arg);
void              jarchi_sip_call_refer_handler  (struct sip           *sip,
                                                  const struct sip_msg *msg,
                                                  void                 *arg);
void              jarchi_sip_call_send_info_dtmf (JarchiSipCall *call,
                                                  char           digit,
                                                  guint          duration_ms);
void              jarchi_sip_call_notify_refer   (JarchiSipCall *call,
                                                  guint          code,
                                                  const char    *phrase);
void              jarchi_sip_call_refer          (JarchiSipCall *call,
                                                  const char    *target,
                                                  guint          other_id);

/* jarchi-sip-sdp.c */
int               jarchi_sip_sdp_new             (struct sdp_session **sessp,
                                                  struct sdp_media   **mediap,
                                                  const char          *address,
                                                  uint16_t             port);
typedef struct {
  char    *host;
  guint    port;
  char    *codec;
  guint    pt;
  guint    clock_rate;
  guint    dtmf_pt;
  guint    direction;
  gboolean remote_hold;
} JarchiSipMedia;
/* Reads the negotiated result after sdp_decode(); FALSE when no common audio codec. */
gboolean          jarchi_sip_sdp_result          (struct sdp_media *media,
                                                  JarchiSipMedia   *out);
void              jarchi_sip_media_clear         (JarchiSipMedia   *media);

/* jarchi-sip-broadcast.c: campaign calls (lean RTP, no media pipeline) */
void              jarchi_sip_broadcast_command   (JarchiSipStack *stack,
                                                  JarchiSipCmd   *cmd);
/* Ends every campaign call without events (BYE/CANCEL leave in the background) and frees
 * the module's state.  Idempotent. */
void              jarchi_sip_broadcast_close     (JarchiSipStack *stack);
/* Raises RLIMIT_NOFILE and libre's descriptor table for thousands of RTP sockets; call once
 * in the libre thread after libre_init() and before any socket is listened to. */
void              jarchi_sip_broadcast_raise_fd_limit (void);

G_END_DECLS
