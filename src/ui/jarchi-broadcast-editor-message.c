/* JarchiBroadcastEditor's message: an audio file through the file chooser, a spoken preview, and playback with GStreamer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-broadcast-editor-private.h"

/* ---- message: audio file, speech, playback -------------------------------------------------- */

void
jarchi_broadcast_editor_stop_playing (JarchiBroadcastEditor *self)
{
  if (self->player != NULL)
    gst_element_set_state (self->player, GST_STATE_NULL);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_pointer (&self->player, gst_object_unref);
  gtk_button_set_label (self->play_file_button, _("_Play"));
}

static gboolean
bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS || GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      self->bus_watch = 0;
      jarchi_broadcast_editor_stop_playing (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Through $JARCHI_AUDIOSINK when set, like calls, so tests and headless machines stay quiet. */
static void
play_path (JarchiBroadcastEditor *self, const char *path)
{
  const char *sink_desc = g_getenv ("JARCHI_AUDIOSINK");
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GstBus) bus = NULL;

  jarchi_broadcast_editor_stop_playing (self);
  self->player = gst_element_factory_make ("playbin", NULL);
  if (self->player == NULL || uri == NULL)
    return;
  gst_object_ref_sink (self->player);
  g_object_set (self->player, "uri", uri, NULL);
  if (sink_desc != NULL)
    {
      GstElement *sink = gst_parse_bin_from_description (sink_desc, TRUE, NULL);
      if (sink)
        g_object_set (self->player, "audio-sink", sink, NULL);
    }
  bus = gst_element_get_bus (self->player);
  self->bus_watch = gst_bus_add_watch (bus, bus_message, self);
  gst_element_set_state (self->player, GST_STATE_PLAYING);
  gtk_button_set_label (self->play_file_button, _("_Stop"));
}

void
jarchi_broadcast_editor_show_media (JarchiBroadcastEditor *self, const JarchiMedia *media)
{
  g_autofree char *text = NULL;

  if (media == NULL)
    text = g_strdup (_("No file chosen"));
  else
    /* TRANSLATORS: an audio file's name and its duration in minutes:seconds */
    text = g_strdup_printf (_("%s — %u:%02u"), media->name,
                            (guint) (media->duration_ms / 60000), (guint) (media->duration_ms / 1000 % 60));
  gtk_label_set_text (self->file_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_file_button), media != NULL);
}

void
jarchi_broadcast_editor_play_file_clicked (JarchiBroadcastEditor *self)
{
  g_autoptr(JarchiMedia) media = NULL;

  if (self->player != NULL)
    {
      jarchi_broadcast_editor_stop_playing (self);
      return;
    }
  media = jarchi_media_library_get (jarchi_service_get_media_library (self->service), self->media_id, NULL);
  if (media != NULL)
    play_path (self, media->path);
}

static void
imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiBroadcastEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = jarchi_media_library_import_finish (JARCHI_MEDIA_LIBRARY (source), result, &error);

  /* The window may be gone: its widgets are then disposed. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_toggle), TRUE);
  if (media == NULL)
    {
      jarchi_broadcast_editor_show_error (self->group_errors[GROUP_MESSAGE], error->message);
      return;
    }
  self->media_id = (guint) media->id;
  jarchi_broadcast_editor_show_media (self, media);
  jarchi_broadcast_editor_queue_validate (self);
}

static void
file_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiBroadcastEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL, *base = NULL;
  const char *dot;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      if (!g_cancellable_is_cancelled (self->cancellable))
        jarchi_broadcast_editor_show_error (self->group_errors[GROUP_MESSAGE], error->message);
      return;
    }
  base = g_file_get_basename (G_FILE (source));
  dot = strrchr (base, '.');
  gtk_label_set_text (self->file_label, _("Checking the audio file…"));
  jarchi_media_library_import_bytes_async (jarchi_service_get_media_library (self->service),
                                           g_bytes_new_take (g_steal_pointer (&contents), len), base,
                                           dot ? dot + 1 : NULL, self->cancellable, imported,
                                           g_object_ref (self));
}

static void
chooser_response (GtkNativeDialog *dialog, int response, JarchiBroadcastEditor *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    g_file_load_contents_async (file, self->cancellable, file_loaded, g_object_ref (self));
  g_clear_object (&self->chooser);
}

void
jarchi_broadcast_editor_choose_file_clicked (JarchiBroadcastEditor *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Message"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Audio files"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
voice_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiBroadcastEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = jarchi_media_library_synthesize_finish (JARCHI_MEDIA_LIBRARY (source), result,
                                                                         NULL, &error);
  g_autofree char *text = NULL;

  /* The window may be gone: its widgets are then disposed. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_voice_button), TRUE);
  if (media == NULL)
    {
      gtk_label_set_text (self->voice_label, error->message);
      return;
    }
  /* TRANSLATORS: the spoken message's duration in minutes:seconds */
  text = g_strdup_printf (_("Spoken message: %u:%02u"), (guint) (media->duration_ms / 60000),
                          (guint) (media->duration_ms / 1000 % 60));
  gtk_label_set_text (self->voice_label, text);
  play_path (self, media->path);
}

void
jarchi_broadcast_editor_preview_voice_clicked (JarchiBroadcastEditor *self)
{
  g_autofree char *text = jarchi_broadcast_editor_tts_text (self);
  guint lang = MIN (gtk_drop_down_get_selected (self->lang_dropdown), G_N_ELEMENTS (jarchi_broadcast_editor_langs) - 1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_voice_button), FALSE);
  gtk_label_set_text (self->voice_label, _("Speaking…"));
  jarchi_media_library_synthesize_async (jarchi_service_get_media_library (self->service), text, jarchi_broadcast_editor_langs[lang],
                                         self->cancellable, voice_ready, g_object_ref (self));
}

void
jarchi_broadcast_editor_message_kind_toggled (JarchiBroadcastEditor *self)
{
  gtk_stack_set_visible_child_name (self->message_stack,
                                    gtk_toggle_button_get_active (self->tts_toggle) ? "tts" : "file");
  jarchi_broadcast_editor_queue_validate (self);
}
