/* espeak-ng synthesis behind one process-wide lock, to PCM or a WAV file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <espeak-ng/espeak_ng.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-error.h"
#include "jarchi-tts.h"

/* Slightly slower than espeak's 175 words a minute: easier to follow over a phone line. */
#define SPEECH_RATE_WPM   160
#define SYNTH_TIMEOUT_S   60
/* Output beyond this many seconds is cut short (5000 characters take about six minutes). */
#define SYNTH_MAX_SECONDS (15 * 60)

static const char * const languages[] = { "uz", "ru", "en", NULL };

/* Everything below is guarded by tts_lock: espeak-ng keeps its state in globals. */
static GMutex tts_lock;
static gboolean tts_initialised;
static int tts_rate;

typedef struct {
  GByteArray *pcm;
  gsize       max_bytes;
  gint64      deadline;
  gboolean    aborted;
} Synth;

static int
synth_callback (short *wav, int n_samples, espeak_EVENT *events)
{
  Synth *s = events ? events->user_data : NULL;

  if (s == NULL)
    return 1;
  if (wav != NULL && n_samples > 0)
    {
      if (s->pcm->len + (gsize) n_samples * 2 > s->max_bytes || g_get_monotonic_time () > s->deadline)
        {
          s->aborted = TRUE;
          return 1;
        }
      g_byte_array_append (s->pcm, (const guint8 *) wav, (guint) n_samples * 2);
    }
  return 0;
}

static void
set_espeak_error (GError **error, espeak_ng_STATUS status, const char *what)
{
  char message[512] = "";

  espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("Speech synthesis failed while %s: %s"),
               what, message);
}

/* Called with tts_lock held. */
static gboolean
ensure_initialised (GError **error)
{
  espeak_ng_ERROR_CONTEXT context = NULL;
  espeak_ng_STATUS status;

  if (tts_initialised)
    return TRUE;

  espeak_ng_InitializePath (NULL);
  status = espeak_ng_Initialize (&context);
  if (status != ENS_OK)
    {
      espeak_ng_ClearErrorContext (&context);
      set_espeak_error (error, status, _("loading espeak-ng's data"));
      return FALSE;
    }
  status = espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
  if (status != ENS_OK)
    {
      set_espeak_error (error, status, _("setting up its output"));
      return FALSE;
    }
  espeak_SetSynthCallback (synth_callback);
  tts_rate = espeak_ng_GetSampleRate ();
  tts_initialised = TRUE;
  return TRUE;
}

const char * const *
jarchi_tts_get_languages (void)
{
  return languages;
}

gboolean
jarchi_tts_is_language_supported (const char *lang)
{
  return lang != NULL && g_strv_contains (languages, lang);
}

gboolean
jarchi_tts_check (const char *text, const char *lang, GError **error)
{
  if (!jarchi_tts_is_language_supported (lang))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Speech is not available in the language “%s” (only uz, ru and en are)"),
                   lang ? lang : "");
      return FALSE;
    }
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The text is not valid UTF-8"));
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > JARCHI_TTS_MAX_CHARS)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The text is longer than %d characters"), JARCHI_TTS_MAX_CHARS);
      return FALSE;
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("The text is empty"));
  return FALSE;
}

static GBytes *
synthesize_locked (const char *text, const char *lang, guint *rate, GError **error)
{
  g_autoptr(GByteArray) pcm = g_byte_array_new ();
  espeak_ng_STATUS status;
  Synth s = { 0 };

  if (!ensure_initialised (error))
    return NULL;

  status = espeak_ng_SetVoiceByName (lang);
  if (status != ENS_OK)
    {
      set_espeak_error (error, status, _("choosing the voice"));
      return NULL;
    }
  espeak_ng_SetParameter (espeakRATE, SPEECH_RATE_WPM, 0);

  s.pcm = pcm;
  s.max_bytes = (gsize) SYNTH_MAX_SECONDS * tts_rate * 2;
  s.deadline = g_get_monotonic_time () + SYNTH_TIMEOUT_S * G_USEC_PER_SEC;
  /* Without espeakSSML and espeakPHONEMES the text is spoken as it is written. */
  status = espeak_ng_Synthesize (text, strlen (text) + 1, 0, POS_CHARACTER, 0,
                                 espeakCHARS_UTF8 | espeakENDPAUSE, NULL, &s);
  if (status != ENS_OK)
    {
      set_espeak_error (error, status, _("speaking"));
      return NULL;
    }
  if (s.aborted)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The spoken text would be too long"));
      return NULL;
    }
  if (pcm->len == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The text produced no speech"));
      return NULL;
    }
  if (rate)
    *rate = (guint) tts_rate;
  return g_byte_array_free_to_bytes (g_steal_pointer (&pcm));
}

GBytes *
jarchi_tts_synthesize (const char *text, const char *lang, guint *rate, GError **error)
{
  GBytes *pcm;

  if (!jarchi_tts_check (text, lang, error))
    return NULL;

  g_mutex_lock (&tts_lock);
  pcm = synthesize_locked (text, lang, rate, error);
  g_mutex_unlock (&tts_lock);
  return pcm;
}

gboolean
jarchi_tts_synthesize_to_wav (const char *text, const char *lang, const char *path, GError **error)
{
  g_autoptr(GBytes) pcm = NULL;
  guint rate = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  pcm = jarchi_tts_synthesize (text, lang, &rate, error);
  if (pcm == NULL)
    return FALSE;
  return jarchi_audio_write_wav (path, pcm, rate, error);
}
