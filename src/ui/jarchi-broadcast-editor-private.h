/* JarchiBroadcastEditor internals shared by its implementation files (form, message). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

#include "jarchi-broadcast-editor.h"

G_BEGIN_DECLS

typedef enum {
  GROUP_NAME, GROUP_MESSAGE, GROUP_MENU, GROUP_LIMITS, GROUP_RETRIES, GROUP_WINDOW, GROUP_SCHEDULE, N_GROUPS
} Group;


struct _JarchiBroadcastEditor
{
  AdwWindow          parent_instance;

  JarchiService     *service;
  JarchiCampaign    *campaign;
  GHashTable        *picked[3];    /* departments, districts, contacts: sets of gint64 ids */
  GArray            *account_ids;  /* guint, parallel to the account drop-down */
  GtkStringList     *account_names;
  GListStore        *all_contacts;
  GtkCustomFilter   *contact_filter;
  guint              media_id;
  guint              validate_id;
  gboolean           valid;
  GCancellable      *cancellable;
  GtkFileChooserNative *chooser;
  GstElement        *player;
  guint              bus_watch;

  GtkEntry          *name_entry;
  GtkDropDown       *account_dropdown;
  GtkFlowBox        *departments_box;
  GtkFlowBox        *districts_box;
  GtkSearchEntry    *contact_search;
  GtkListBox        *contacts_list;
  GtkLabel          *recipients_label;
  GtkToggleButton   *file_toggle;
  GtkToggleButton   *tts_toggle;
  GtkStack          *message_stack;
  GtkButton         *choose_file_button;
  GtkButton         *play_file_button;
  GtkLabel          *file_label;
  GtkTextView       *tts_view;
  GtkDropDown       *lang_dropdown;
  GtkButton         *preview_voice_button;
  GtkLabel          *voice_label;
  GtkEntry          *confirm_entry, *repeat_entry, *opt_out_entry, *max_repeats_entry, *menu_timeout_entry;
  GtkEntry          *concurrency_entry, *cps_entry, *ring_timeout_entry;
  GtkEntry          *retry_count[JARCHI_N_RETRY_KINDS];
  GtkEntry          *retry_delay[JARCHI_N_RETRY_KINDS];
  GtkSwitch         *window_switch;
  GtkBox            *days_box;
  GtkToggleButton   *days[7];
  GtkEntry          *window_start_entry, *window_end_entry;
  GtkSwitch         *schedule_switch;
  GtkEntry          *start_at_entry;
  GtkWidget         *save_button;
  GtkLabel          *save_error_label;
  GtkLabel          *group_errors[N_GROUPS];
};

/* The spoken languages, in the order of the language drop-down (the API's codes). */
extern const char * const jarchi_broadcast_editor_langs[3];

void  jarchi_broadcast_editor_show_error      (GtkLabel              *label,
                                               const char            *message);
void  jarchi_broadcast_editor_queue_validate  (JarchiBroadcastEditor *self);
char *jarchi_broadcast_editor_tts_text        (JarchiBroadcastEditor *self);

/* jarchi-broadcast-editor-message.c: the audio file, the spoken preview, playback. */
void  jarchi_broadcast_editor_stop_playing          (JarchiBroadcastEditor *self);
void  jarchi_broadcast_editor_show_media            (JarchiBroadcastEditor *self,
                                                     const JarchiMedia     *media);
void  jarchi_broadcast_editor_play_file_clicked     (JarchiBroadcastEditor *self);
void  jarchi_broadcast_editor_choose_file_clicked   (JarchiBroadcastEditor *self);
void  jarchi_broadcast_editor_preview_voice_clicked (JarchiBroadcastEditor *self);
void  jarchi_broadcast_editor_message_kind_toggled  (JarchiBroadcastEditor *self);

G_END_DECLS
