/* JarchiCallManager internals shared by its implementation files (calls, accounts, control). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-manager.h"
#include "jarchi-sip-engine.h"

G_BEGIN_DECLS

typedef struct {
  JarchiCallManager  *manager;
  JarchiCall         *call;
  JarchiMediaSession *media;
  gboolean            media_started;
  guint               refer_from;     /* the call whose peer asked us (REFER) to place this one */
  gboolean            refer_notified;
  guint               replaces;       /* incoming: the call this one takes over (Replaces) */
  char               *end_reason;     /* overrides the engine's reason */
  GString            *dtmf_info;      /* digits still to send as SIP INFO */
  guint               dtmf_source;
  gboolean            record_paused;  /* recorded, but silence goes to the file for now */
} CallData;

struct _JarchiCallManager
{
  GObject          parent_instance;
  JarchiSipEngine *engine;
  char            *media_address;
  char            *data_dir;
  GPtrArray       *calls;      /* JarchiCall, in model order */
  GHashTable      *data;       /* call id -> CallData */
  GListStore      *accounts;
  guint            ring_timeout;
  guint            reregister_source;
  GHashTable      *reregister; /* account ids whose settings changed */
  GSimpleActionGroup *actions; /* made on first use */
};

CallData *jarchi_call_manager_lookup_data   (JarchiCallManager  *self,
                                             guint               call_id,
                                             GError            **error);
gboolean  jarchi_call_manager_check_running (JarchiCallManager  *self,
                                             GError            **error);
/* Starts a new recording file of an answered call with running media (in control.c). */
gboolean  jarchi_call_manager_start_recording_file (JarchiCallManager  *self,
                                                    CallData           *d,
                                                    GError            **error);
/* Emits ::recording-changed (in jarchi-call-manager.c, which owns the signals). */
void      jarchi_call_manager_emit_recording_changed (JarchiCallManager *self,
                                                      guint              call_id,
                                                      gboolean           recording);

G_END_DECLS
