/* JarchiCallManager, mid-call control: hold, resume, transfers, DTMF and recording. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-call-manager-private.h"
#include "jarchi-error.h"
#include "jarchi-sip-uri.h"

#define DTMF_INFO_GAP_MS 250

static gboolean
set_hold (JarchiCallManager  *self,
          guint               call_id,
          gboolean            hold,
          GError            **error)
{
  CallData *d;
  JarchiCallState state;

  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  state = jarchi_call_get_state (d->call);
  if (hold ? (state != JARCHI_CALL_STATE_ACTIVE && state != JARCHI_CALL_STATE_REMOTE_HELD)
           : state != JARCHI_CALL_STATE_HELD)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   hold ? _("Call %u is not active") : _("Call %u is not on hold"), call_id);
      return FALSE;
    }
  return jarchi_sip_engine_hold (self->engine, call_id, hold, error);
}

gboolean
jarchi_call_manager_hold (JarchiCallManager  *self,
                          guint               call_id,
                          GError            **error)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  return set_hold (self, call_id, TRUE, error);
}

gboolean
jarchi_call_manager_resume (JarchiCallManager  *self,
                            guint               call_id,
                            GError            **error)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  return set_hold (self, call_id, FALSE, error);
}

static gboolean
is_answered (CallData *d)
{
  return jarchi_call_get_answered_at (d->call) != 0 && !jarchi_call_is_ended (d->call);
}

gboolean
jarchi_call_manager_transfer_blind (JarchiCallManager  *self,
                                    guint               call_id,
                                    const char         *to,
                                    GError            **error)
{
  CallData *d;
  JarchiAccount *account;
  g_autofree char *domain = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  if (!is_answered (d))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Call %u is not answered"), call_id);
      return FALSE;
    }
  account = jarchi_call_manager_lookup_account (self, jarchi_call_get_account_id (d->call));
  if (account != NULL)
    domain = jarchi_account_dup_domain (account);
  uri = jarchi_sip_uri_normalize (to, domain, error);
  if (uri == NULL)
    return FALSE;
  return jarchi_sip_engine_refer (self->engine, call_id, uri, 0, error);
}

gboolean
jarchi_call_manager_transfer_attended (JarchiCallManager  *self,
                                       guint               call_id,
                                       guint               other_call_id,
                                       GError            **error)
{
  CallData *d, *other;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL ||
      (other = jarchi_call_manager_lookup_data (self, other_call_id, error)) == NULL)
    return FALSE;
  if (call_id == other_call_id || !is_answered (d) || !is_answered (other))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("An attended transfer needs two answered calls"));
      return FALSE;
    }
  return jarchi_sip_engine_refer (self->engine, call_id, NULL, other_call_id, error);
}

static gboolean
send_next_info_digit (gpointer data)
{
  CallData *d = data;
  JarchiCallManager *self = d->manager;
  char digit;

  if (d->dtmf_info->len == 0 || self->engine == NULL)
    {
      d->dtmf_source = 0;
      return G_SOURCE_REMOVE;
    }
  digit = d->dtmf_info->str[0];
  g_string_erase (d->dtmf_info, 0, 1);
  (void) jarchi_sip_engine_send_info_dtmf (self->engine, jarchi_call_get_id (d->call), digit,
                                           160, NULL);
  return G_SOURCE_CONTINUE;
}

gboolean
jarchi_call_manager_send_dtmf (JarchiCallManager  *self,
                               guint               call_id,
                               const char         *digits,
                               GError            **error)
{
  CallData *d;
  JarchiAccount *account;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  if (digits == NULL || *digits == '\0' || strspn (digits, "0123456789*#ABCDabcd") != strlen (digits))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” are not DTMF digits"), digits ? digits : "");
      return FALSE;
    }
  if (!is_answered (d) && jarchi_call_get_state (d->call) != JARCHI_CALL_STATE_EARLY_MEDIA)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Call %u is not connected"), call_id);
      return FALSE;
    }

  account = jarchi_call_manager_lookup_account (self, jarchi_call_get_account_id (d->call));
  if (account != NULL && jarchi_account_get_dtmf_mode (account) == JARCHI_DTMF_MODE_INFO)
    {
      /* Paced like key presses: some PBXs drop INFO digits that arrive together. */
      if (d->dtmf_info == NULL)
        d->dtmf_info = g_string_new (NULL);
      g_string_append (d->dtmf_info, digits);
      if (d->dtmf_source == 0)
        {
          send_next_info_digit (d);
          if (d->dtmf_info->len > 0)
            d->dtmf_source = g_timeout_add (DTMF_INFO_GAP_MS, send_next_info_digit, d);
        }
      return TRUE;
    }

  if (d->media == NULL || !d->media_started)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("Call %u has no media yet"),
                   call_id);
      return FALSE;
    }
  for (const char *p = digits; *p; p++)
    if (!jarchi_media_session_send_dtmf (d->media, g_ascii_toupper (*p), 160, error))
      return FALSE;
  return TRUE;
}

/* ---- recording -------------------------------------------------------------------------------- */

gboolean
jarchi_call_manager_start_recording_file (JarchiCallManager  *self,
                                          CallData           *d,
                                          GError            **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (self->data_dir == NULL)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED,
                           _("Recording is off: Jarchi has no data folder"));
      return FALSE;
    }
  dir = g_build_filename (self->data_dir, "recordings", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not create %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  name = g_strdup_printf ("call-%s-%u.ogg", stamp, jarchi_call_get_id (d->call));
  path = g_build_filename (dir, name, NULL);
  if (!jarchi_media_session_start_recording (d->media, path, error))
    return FALSE;
  d->record_paused = FALSE;
  jarchi_call_set_recording_path (d->call, path);
  jarchi_call_manager_emit_recording_changed (self, jarchi_call_get_id (d->call), TRUE);
  return TRUE;
}

gboolean
jarchi_call_manager_get_recording (JarchiCallManager *self,
                                   guint              call_id)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  d = jarchi_call_manager_lookup_data (self, call_id, NULL);
  return d != NULL && d->media != NULL && jarchi_media_session_get_recording (d->media) &&
         !d->record_paused;
}

gboolean
jarchi_call_manager_set_recording (JarchiCallManager  *self,
                                   guint               call_id,
                                   gboolean            record,
                                   GError            **error)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  if (!is_answered (d))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Call %u is not answered"), call_id);
      return FALSE;
    }
  if (d->media == NULL || !d->media_started ||
      jarchi_media_session_get_state (d->media) != JARCHI_MEDIA_STATE_RUNNING)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("Call %u has no media yet"),
                   call_id);
      return FALSE;
    }
  if (record == jarchi_call_manager_get_recording (self, call_id))
    return TRUE;
  if (record && !jarchi_media_session_get_recording (d->media))
    return jarchi_call_manager_start_recording_file (self, d, error);

  /* A recording under way: stopping and starting again only switches what the file gets. */
  (void) jarchi_media_session_set_recording_paused (d->media, !record);
  d->record_paused = !record;
  jarchi_call_manager_emit_recording_changed (self, call_id, record);
  return TRUE;
}

static void
record_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JarchiCallManager *self = user_data;
  g_autoptr(GError) error = NULL;
  guint32 call_id;
  gboolean record;

  if (g_variant_is_of_type (parameter, G_VARIANT_TYPE ("(ub)")))
    g_variant_get (parameter, "(ub)", &call_id, &record);
  else
    {
      call_id = g_variant_get_uint32 (parameter);
      record = !jarchi_call_manager_get_recording (self, call_id);
    }
  if (!jarchi_call_manager_set_recording (self, call_id, record, &error))
    g_message ("call %u: %s", call_id, error->message);
}

GActionGroup *
jarchi_call_manager_get_actions (JarchiCallManager *self)
{
  static const GActionEntry entries[] = {
    { .name = "record", .activate = record_activated, .parameter_type = "(ub)" },
    { .name = "toggle-record", .activate = record_activated, .parameter_type = "u" },
  };

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  if (self->actions == NULL)
    {
      self->actions = g_simple_action_group_new ();
      g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries,
                                       G_N_ELEMENTS (entries), self);
    }
  return G_ACTION_GROUP (self->actions);
}
